using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Packs;

/// <summary>
/// A sample world a pack ships: models, twins and relationships in the import format (NDJSON with <c>{"Section": "Models"}</c>,
/// <c>"Twins"</c> and <c>"Relationships"</c> lines, as <c>doppel import</c> takes), opened when loaded.
/// </summary>
public sealed record PackSample(string Name, string Description, Func<Stream> Open)
{
    /// <summary>Reads the sample's sections; an error names the line that is not a JSON object or belongs to no section.</summary>
    public Result<SampleContent> Read()
    {
        using var reader = new StreamReader(Open(), Encoding.UTF8);
        var models = new List<string>();
        var twins = new List<JsonObject>();
        var relationships = new List<JsonObject>();
        var section = "";
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }
            JsonObject item;
            try
            {
                item = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not a JSON object");
            }
            catch (JsonException e)
            {
                return Result<SampleContent>.Fail("InvalidArgument", $"Sample '{Name}', line {number}: {e.Message}");
            }
            if (item["Section"] is JsonValue name && name.TryGetValue<string>(out var next))
            {
                section = next;
                continue;
            }
            switch (section)
            {
                case "Header":
                    break;
                case "Models":
                    models.Add(line);
                    break;
                case "Twins":
                    twins.Add(item);
                    break;
                case "Relationships":
                    relationships.Add(item);
                    break;
                default:
                    return Result<SampleContent>.Fail("InvalidArgument", $"Sample '{Name}', line {number}: not in a Models, Twins or Relationships section.");
            }
        }
        return Result<SampleContent>.Ok(new SampleContent(models, twins, relationships));
    }
}
