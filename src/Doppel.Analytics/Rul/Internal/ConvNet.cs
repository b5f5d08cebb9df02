using System.Numerics.Tensors;

namespace Doppel.Analytics.Rul.Internal;

/// <summary>
/// A 1D convolutional network over the window, after Li, Ding and Sun (2018, "Remaining useful life estimation in
/// prognostics using deep convolution neural networks"): convolutions along time with tanh, a last one-filter
/// convolution, a dense tanh layer, a linear output. Time-major buffers make each convolution output one dot product of
/// a contiguous patch with a filter, so the inner loops are <see cref="TensorPrimitives"/> calls.
/// </summary>
internal sealed class ConvNet
{
    public required Shape Architecture { get; init; }
    public required float[] Parameters { get; init; }

    /// <summary>Window length, input channels, filters per hidden convolution, their kernel, hidden convolutions, dense units.</summary>
    public sealed record Shape(int Time, int Inputs, int Filters, int Kernel, int Layers, int Hidden)
    {
        public const int LastKernel = 3;

        public IReadOnlyList<(int In, int Out, int Kernel)> Convolutions =>
            [.. Enumerable.Range(0, Layers).Select(i => (i == 0 ? Inputs : Filters, Filters, Kernel)), (Filters, 1, LastKernel)];

        public int Count => Convolutions.Sum(c => c.Out * c.Kernel * c.In + c.Out) + Hidden * Time + Hidden + Hidden + 1;
    }

    /// <summary>Scratch space of one forward and backward pass.</summary>
    internal sealed class Workspace
    {
        public Workspace(Shape shape)
        {
            var convolutions = shape.Convolutions;
            Padded = [.. convolutions.Select(c => new float[(shape.Time + c.Kernel - 1) * c.In])];
            PaddedGradient = [.. convolutions.Select(c => new float[(shape.Time + c.Kernel - 1) * c.In])];
            Activations = [.. convolutions.Select(c => new float[shape.Time * c.Out])];
            Hidden = new float[shape.Hidden];
            HiddenGradient = new float[shape.Hidden];
            Flat = new float[shape.Time];
            Delta = [.. convolutions.Select(c => new float[shape.Time * c.Out])];
        }

        public float[][] Padded { get; }
        public float[][] PaddedGradient { get; }
        public float[][] Activations { get; }
        public float[][] Delta { get; }
        public float[] Hidden { get; }
        public float[] HiddenGradient { get; }
        public float[] Flat { get; }
    }

    public static ConvNet Create(Shape shape, Random random)
    {
        var parameters = new float[shape.Count];
        var offset = 0;
        foreach (var (inputs, outputs, kernel) in shape.Convolutions)
        {
            offset = Glorot(parameters, offset, outputs * kernel * inputs, inputs * kernel, outputs * kernel, random);
            offset += outputs;
        }
        offset = Glorot(parameters, offset, shape.Hidden * shape.Time, shape.Time, shape.Hidden, random);
        offset += shape.Hidden;
        Glorot(parameters, offset, shape.Hidden, shape.Hidden, 1, random);
        return new ConvNet { Architecture = shape, Parameters = parameters };
    }

    private static int Glorot(float[] parameters, int offset, int count, int fanIn, int fanOut, Random random)
    {
        var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (var i = 0; i < count; i++)
        {
            parameters[offset + i] = (float)((random.NextDouble() * 2 - 1) * limit);
        }
        return offset + count;
    }

    /// <summary>The output for one window (Time × Inputs, time-major).</summary>
    public float Forward(ReadOnlySpan<float> input, Workspace work)
    {
        var shape = Architecture;
        var p = Parameters.AsSpan();
        var offset = 0;
        var convolutions = shape.Convolutions;
        var source = input;
        for (var layer = 0; layer < convolutions.Count; layer++)
        {
            var (inputs, outputs, kernel) = convolutions[layer];
            var padded = work.Padded[layer];
            var before = (kernel - 1) / 2;
            Array.Clear(padded);
            source[..(shape.Time * inputs)].CopyTo(padded.AsSpan(before * inputs));
            var weights = p.Slice(offset, outputs * kernel * inputs);
            var biases = p.Slice(offset + outputs * kernel * inputs, outputs);
            var activation = work.Activations[layer];
            var patch = kernel * inputs;
            for (var t = 0; t < shape.Time; t++)
            {
                var x = padded.AsSpan(t * inputs, patch);
                for (var f = 0; f < outputs; f++)
                {
                    activation[t * outputs + f] = TensorPrimitives.Dot(weights.Slice(f * patch, patch), x) + biases[f];
                }
            }
            TensorPrimitives.Tanh(activation, activation);
            offset += outputs * kernel * inputs + outputs;
            source = activation;
        }
        source.CopyTo(work.Flat);
        var dense = p.Slice(offset, shape.Hidden * shape.Time);
        var denseBias = p.Slice(offset + shape.Hidden * shape.Time, shape.Hidden);
        for (var h = 0; h < shape.Hidden; h++)
        {
            work.Hidden[h] = TensorPrimitives.Dot(dense.Slice(h * shape.Time, shape.Time), work.Flat) + denseBias[h];
        }
        TensorPrimitives.Tanh(work.Hidden, work.Hidden);
        offset += shape.Hidden * shape.Time + shape.Hidden;
        return TensorPrimitives.Dot(p.Slice(offset, shape.Hidden), work.Hidden) + p[offset + shape.Hidden];
    }

    /// <summary>Adds to <paramref name="gradient"/> the gradient of the loss for one window, given d(loss)/d(output); call after <see cref="Forward"/> on it.</summary>
    public void Backward(float outputGradient, Workspace work, Span<float> gradient)
    {
        var shape = Architecture;
        var p = Parameters.AsSpan();
        var convolutions = shape.Convolutions;
        var offsets = new int[convolutions.Count];
        var offset = 0;
        for (var layer = 0; layer < convolutions.Count; layer++)
        {
            offsets[layer] = offset;
            var (inputs, outputs, kernel) = convolutions[layer];
            offset += outputs * kernel * inputs + outputs;
        }
        var denseOffset = offset;
        var outOffset = denseOffset + shape.Hidden * shape.Time + shape.Hidden;

        // Output layer and dense layer.
        TensorPrimitives.MultiplyAdd(work.Hidden, outputGradient, gradient.Slice(outOffset, shape.Hidden), gradient.Slice(outOffset, shape.Hidden));
        gradient[outOffset + shape.Hidden] += outputGradient;
        var hiddenGradient = work.HiddenGradient;
        for (var h = 0; h < shape.Hidden; h++)
        {
            var a = work.Hidden[h];
            hiddenGradient[h] = outputGradient * p[outOffset + h] * (1 - a * a);
        }
        var last = convolutions.Count - 1;
        var delta = work.Delta[last];
        Array.Clear(delta);
        for (var h = 0; h < shape.Hidden; h++)
        {
            var g = hiddenGradient[h];
            var row = gradient.Slice(denseOffset + h * shape.Time, shape.Time);
            TensorPrimitives.MultiplyAdd(work.Flat, g, row, row);
            gradient[denseOffset + shape.Hidden * shape.Time + h] += g;
            TensorPrimitives.MultiplyAdd(p.Slice(denseOffset + h * shape.Time, shape.Time), g, delta, delta);
        }

        // Convolutions, last to first: delta holds d(loss)/d(activation) of the layer.
        for (var layer = last; layer >= 0; layer--)
        {
            var (inputs, outputs, kernel) = convolutions[layer];
            var activation = work.Activations[layer];
            delta = work.Delta[layer];
            for (var i = 0; i < delta.Length; i++)
            {
                delta[i] *= 1 - activation[i] * activation[i];
            }
            var patch = kernel * inputs;
            var weights = p.Slice(offsets[layer], outputs * patch);
            var weightGradient = gradient.Slice(offsets[layer], outputs * patch);
            var biasGradient = gradient.Slice(offsets[layer] + outputs * patch, outputs);
            var padded = work.Padded[layer];
            var paddedGradient = work.PaddedGradient[layer];
            var propagate = layer > 0;
            if (propagate)
            {
                Array.Clear(paddedGradient);
            }
            for (var t = 0; t < shape.Time; t++)
            {
                var x = padded.AsSpan(t * inputs, patch);
                var dx = paddedGradient.AsSpan(t * inputs, patch);
                for (var f = 0; f < outputs; f++)
                {
                    var g = delta[t * outputs + f];
                    if (g == 0)
                    {
                        continue;
                    }
                    var wg = weightGradient.Slice(f * patch, patch);
                    TensorPrimitives.MultiplyAdd(x, g, wg, wg);
                    biasGradient[f] += g;
                    if (propagate)
                    {
                        TensorPrimitives.MultiplyAdd(weights.Slice(f * patch, patch), g, dx, dx);
                    }
                }
            }
            if (propagate)
            {
                var before = (kernel - 1) / 2;
                paddedGradient.AsSpan(before * inputs, shape.Time * inputs).CopyTo(work.Delta[layer - 1]);
            }
        }
    }
}
