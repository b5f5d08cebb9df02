using System.Numerics.Tensors;

namespace Doppel.Analytics.Rul.Internal;

/// <summary>
/// The sequence model: a <see cref="ConvNet"/> on the window's standardised sensors plus the cycle as one more channel,
/// predicting RUL / cap; trained with Adam on mini-batches, early-stopped on validation windows.
/// </summary>
internal sealed class SequenceModel
{
    /// <summary>Fixed slices of a mini-batch, each with its own gradient, summed in order: results do not depend on the thread count.</summary>
    private const int Slices = 4;

    private const float AverageDecay = 0.995f;

    public required ConvNet Network { get; init; }
    public required double CycleMean { get; init; }
    public required int Cap { get; init; }

    public int Sensors => Network.Architecture.Inputs - 1;

    public double Predict(float[] window, float[] cycles)
    {
        var input = new float[Network.Architecture.Time * Network.Architecture.Inputs];
        Fill(window, cycles, input);
        return Network.Forward(input, new ConvNet.Workspace(Network.Architecture)) * Cap;
    }

    public void Fill(ReadOnlySpan<float> window, ReadOnlySpan<float> cycles, Span<float> input)
    {
        var sensors = Sensors;
        var inputs = sensors + 1;
        for (var t = 0; t < cycles.Length; t++)
        {
            window.Slice(t * sensors, sensors).CopyTo(input.Slice(t * inputs, sensors));
            input[t * inputs + sensors] = (float)((cycles[t] - CycleMean) / CycleMean);
        }
    }

    public sealed record Settings(int Filters, int Kernel, int Layers, int Hidden, double LearningRate, int BatchSize, int MaxEpochs, int Patience, int Plateau);

    /// <summary>The model, the learning rate of each epoch it was trained for (to replay on a refit), its validation RMSE.</summary>
    public sealed record Fitted(SequenceModel Model, float[] Schedule, double ValidationRmse);

    /// <summary>
    /// Trains on <paramref name="inputs"/> (samples × Time × Inputs) against capped RUL <paramref name="targets"/>; with
    /// validation data, halves the learning rate after <see cref="Settings.Plateau"/> epochs without improvement, keeps the
    /// epoch with the lowest validation RMSE and stops after <see cref="Settings.Patience"/>; without, replays
    /// <paramref name="schedule"/> (one learning rate per epoch).
    /// </summary>
    public static Fitted Train(ConvNet.Shape shape, Settings settings, double cycleMean, int cap, float[] inputs, float[] targets,
        float[]? validationInputs, float[]? validationTargets, float[]? schedule, int seed, int threads, IProgress<string>? progress, CancellationToken ct)
    {
        var random = new Random(seed);
        var network = ConvNet.Create(shape, random);
        var model = new SequenceModel { Network = network, CycleMean = cycleMean, Cap = cap };
        var size = shape.Time * shape.Inputs;
        var samples = targets.Length;
        var parameters = network.Parameters;
        var count = parameters.Length;
        var gradients = Enumerable.Range(0, Slices).Select(_ => new float[count]).ToArray();
        var workspaces = Enumerable.Range(0, Slices).Select(_ => new ConvNet.Workspace(shape)).ToArray();
        var total = new float[count];
        var m = new float[count];
        var v = new float[count];
        const float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
        var step = 0;
        // Validation and the final model use an exponential moving average of the weights, which smooths out the noise of
        // mini-batch steps (Polyak averaging); the raw weights keep training.
        var average = (float[])parameters.Clone();
        var averaged = new SequenceModel { Network = new ConvNet { Architecture = shape, Parameters = average }, CycleMean = cycleMean, Cap = cap };
        var order = Enumerable.Range(0, samples).ToArray();
        var best = (Rmse: double.MaxValue, Epoch: 0, Parameters: (float[])parameters.Clone());
        var maxEpochs = schedule?.Length ?? settings.MaxEpochs;
        var rate = (float)settings.LearningRate;
        var rates = new List<float>();
        var sinceProgress = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(threads, 1, Slices), CancellationToken = ct };
        for (var epoch = 1; epoch <= maxEpochs; epoch++)
        {
            if (schedule is not null)
            {
                rate = schedule[epoch - 1];
            }
            rates.Add(rate);
            Preprocessor.Shuffle(order, random);
            for (var start = 0; start < samples; start += settings.BatchSize)
            {
                var end = Math.Min(samples, start + settings.BatchSize);
                var batch = end - start;
                Parallel.For(0, Slices, parallel, slice =>
                {
                    var gradient = gradients[slice];
                    Array.Clear(gradient);
                    var work = workspaces[slice];
                    for (var i = start + slice * batch / Slices; i < start + (slice + 1) * batch / Slices; i++)
                    {
                        var sample = order[i];
                        var output = network.Forward(inputs.AsSpan(sample * size, size), work);
                        network.Backward(2 * (output - targets[sample] / cap) / batch, work, gradient);
                    }
                });
                Array.Clear(total);
                foreach (var gradient in gradients)
                {
                    TensorPrimitives.Add(total, gradient, total);
                }
                step++;
                var correction1 = 1 - MathF.Pow(beta1, step);
                var correction2 = 1 - MathF.Pow(beta2, step);
                for (var i = 0; i < count; i++)
                {
                    var g = total[i];
                    m[i] = beta1 * m[i] + (1 - beta1) * g;
                    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                    parameters[i] -= rate * (m[i] / correction1) / (MathF.Sqrt(v[i] / correction2) + epsilon);
                }
                var decay = Math.Min(AverageDecay, (1f + step) / (10f + step));
                TensorPrimitives.Lerp(parameters, average, decay, average);
            }
            if (validationInputs is null || validationTargets is null)
            {
                continue;
            }
            var rmse = averaged.Rmse(validationInputs, validationTargets);
            progress?.Report($"sequence epoch {epoch}: validation RMSE {rmse:F2} (learning rate {rate:G3})");
            if (rmse < best.Rmse)
            {
                best = (rmse, epoch, (float[])average.Clone());

                sinceProgress = 0;
            }
            else if (epoch - best.Epoch >= settings.Patience)
            {
                break;
            }
            else if (++sinceProgress >= settings.Plateau)
            {
                rate /= 2;
                sinceProgress = 0;
            }
        }
        if (validationInputs is null)
        {
            return new Fitted(model, [.. rates], double.NaN);
        }
        best.Parameters.CopyTo(parameters, 0);
        return new Fitted(model, [.. rates.Take(best.Epoch)], best.Rmse);
    }

    public double Rmse(float[] inputs, float[] targets)
    {
        var size = Network.Architecture.Time * Network.Architecture.Inputs;
        var work = new ConvNet.Workspace(Network.Architecture);
        double squares = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var d = Network.Forward(inputs.AsSpan(i * size, size), work) * Cap - targets[i];
            squares += d * d;
        }
        return Math.Sqrt(squares / Math.Max(1, targets.Length));
    }
}
