using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Analytics.Rul.Internal;

namespace Doppel.Analytics.Rul;

public sealed partial class RulPredictor
{
    private static readonly byte[] Magic = "DOPPELRUL"u8.ToArray();
    private const int End = 0x444E4521;

    /// <summary>The file format this build writes; it reads every version up to this one.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes the predictor as one self-contained, versioned binary file (no ML.NET model inside: the trees are plain arrays).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(Kind);
        writer.Write(Cap);
        writer.Write(Coverage);

        var p = Preprocessor;
        WriteStrings(writer, p.Channels);
        writer.Write(p.Window);
        writer.Write(p.CycleIndex);
        WriteInts(writer, p.SettingIndexes);
        WriteInts(writer, p.SensorIndexes);
        WriteDoubles(writer, p.SettingMean);
        WriteDoubles(writer, p.SettingScale);
        WriteMatrix(writer, p.Centroids);
        WriteMatrix(writer, p.SensorMean);
        WriteMatrix(writer, p.SensorScale);
        WriteStrings(writer, p.Dropped);
        writer.Write(p.CycleMean);

        writer.Write(Trees is not null);
        if (Trees is not null)
        {
            writer.Write(Trees.Bias);
            writer.Write(Trees.Trees.Length);
            foreach (var tree in Trees.Trees)
            {
                WriteInts(writer, tree.Left);
                WriteInts(writer, tree.Right);
                WriteInts(writer, tree.Feature);
                WriteFloats(writer, tree.Threshold);
                WriteDoubles(writer, tree.Leaves);
                writer.Write(tree.Weight);
            }
        }
        writer.Write(Sequence is not null);
        if (Sequence is not null)
        {
            var shape = Sequence.Network.Architecture;
            WriteInts(writer, [shape.Time, shape.Inputs, shape.Filters, shape.Kernel, shape.Layers, shape.Hidden]);
            writer.Write(Sequence.CycleMean);
            writer.Write(Sequence.Cap);
            WriteFloats(writer, Sequence.Network.Parameters);
        }
        writer.Write(TreeWeight);
        WriteDoubles(writer, Intervals.Edges);
        WriteDoubles(writer, Intervals.Lower);
        WriteDoubles(writer, Intervals.Upper);
        writer.Write(Validation.Rmse);
        writer.Write(Validation.Score);
        writer.Write(Validation.Coverage);
        writer.Write(Validation.Units);
        writer.Write(HyperParameters.ToJsonString());
        writer.Write(End);
    }

    /// <summary>Reads a file written by <see cref="Save"/>; a file that is not one, is damaged, or comes from a newer format is an error saying so.</summary>
    public static Result<RulPredictor> Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
            {
                return Invalid("not a Doppel RUL predictor file (it does not start with DOPPELRUL)");
            }
            var version = reader.ReadInt32();
            if (version < 1 || version > FormatVersion)
            {
                return Invalid($"format version {version}, but this build reads versions 1 to {FormatVersion}");
            }
            var kind = reader.ReadString();
            var cap = reader.ReadInt32();
            var coverage = reader.ReadDouble();
            var preprocessor = new Preprocessor
            {
                Channels = ReadStrings(reader),
                Window = Positive(reader.ReadInt32(), "window"),
                CycleIndex = reader.ReadInt32(),
                SettingIndexes = ReadInts(reader),
                SensorIndexes = ReadInts(reader),
                SettingMean = ReadDoubles(reader),
                SettingScale = ReadDoubles(reader),
                Centroids = ReadMatrix(reader),
                SensorMean = ReadMatrix(reader),
                SensorScale = ReadMatrix(reader),
                Dropped = ReadStrings(reader),
                CycleMean = reader.ReadDouble(),
            };
            TreeEnsemble? trees = null;
            if (reader.ReadBoolean())
            {
                var bias = reader.ReadDouble();
                var list = new TreeEnsemble.Tree[Count(reader.ReadInt32())];
                for (var i = 0; i < list.Length; i++)
                {
                    list[i] = new TreeEnsemble.Tree(ReadInts(reader), ReadInts(reader), ReadInts(reader), ReadFloats(reader), ReadDoubles(reader), reader.ReadDouble());
                }
                trees = new TreeEnsemble { Bias = bias, Trees = list };
            }
            SequenceModel? sequence = null;
            if (reader.ReadBoolean())
            {
                var s = ReadInts(reader);
                if (s.Length != 6)
                {
                    return Invalid("the sequence model's shape is damaged");
                }
                var shape = new ConvNet.Shape(s[0], s[1], s[2], s[3], s[4], s[5]);
                var cycleMean = reader.ReadDouble();
                var sequenceCap = reader.ReadInt32();
                var parameters = ReadFloats(reader);
                if (parameters.Length != shape.Count)
                {
                    return Invalid($"the sequence model has {parameters.Length} parameters where its shape needs {shape.Count}");
                }
                sequence = new SequenceModel { Network = new ConvNet { Architecture = shape, Parameters = parameters }, CycleMean = cycleMean, Cap = sequenceCap };
            }
            var weight = reader.ReadDouble();
            var intervals = new ConformalBins { Edges = ReadDoubles(reader), Lower = ReadDoubles(reader), Upper = ReadDoubles(reader) };
            var validation = new RulMetrics(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32());
            var hyper = JsonNode.Parse(reader.ReadString()) as JsonObject ?? [];
            if (reader.ReadInt32() != End)
            {
                return Invalid("the file does not end where its contents do");
            }
            if (!RulTrainingOptions.Kinds.Contains(kind) || intervals.Lower.Length != intervals.Edges.Length + 1 || intervals.Upper.Length != intervals.Lower.Length
                || preprocessor.SensorIndexes.Any(i => i < 0 || i >= preprocessor.Channels.Length) || (trees is null && sequence is null))
            {
                return Invalid("the contents are inconsistent");
            }
            return Result<RulPredictor>.Ok(new RulPredictor(kind, cap, coverage, preprocessor, trees, sequence, weight, intervals, validation, hyper));
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or JsonException or FormatException or OverflowException)
        {
            return Invalid($"damaged or truncated ({e.Message})");
        }
    }

    private static Result<RulPredictor> Invalid(string why) => Result<RulPredictor>.Fail("InvalidArgument", $"cannot load the RUL predictor: {why}");

    /// <summary>Array lengths are checked before allocating, so a damaged length fails as damage, not as an out-of-memory.</summary>
    private static int Count(int count) => count is >= 0 and <= 50_000_000 ? count : throw new InvalidDataException($"an array length of {count}");

    private static int Positive(int value, string name) => value > 0 ? value : throw new InvalidDataException($"{name} {value}");

    private static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static string[] ReadStrings(BinaryReader reader)
    {
        var values = new string[Count(reader.ReadInt32())];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadString();
        }
        return values;
    }

    private static void WriteInts(BinaryWriter writer, int[] values)
    {
        writer.Write(values.Length);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static int[] ReadInts(BinaryReader reader)
    {
        var values = new int[Count(reader.ReadInt32())];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadInt32();
        }
        return values;
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static float[] ReadFloats(BinaryReader reader)
    {
        var values = new float[Count(reader.ReadInt32())];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadSingle();
        }
        return values;
    }

    private static void WriteDoubles(BinaryWriter writer, double[] values)
    {
        writer.Write(values.Length);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static double[] ReadDoubles(BinaryReader reader)
    {
        var values = new double[Count(reader.ReadInt32())];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadDouble();
        }
        return values;
    }

    private static void WriteMatrix(BinaryWriter writer, double[][] rows)
    {
        writer.Write(rows.Length);
        foreach (var row in rows)
        {
            WriteDoubles(writer, row);
        }
    }

    private static double[][] ReadMatrix(BinaryReader reader)
    {
        var rows = new double[Count(reader.ReadInt32())][];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = ReadDoubles(reader);
        }
        return rows;
    }
}
