using System.Text;
using Doppel.Packs.Health.Patients;

namespace Doppel.Packs.Health;

public sealed partial class HealthPack
{
    /// <summary>The health sample world (<c>doppel samples load health</c>) and its demo.</summary>
    public const string SampleName = "health";

    partial void RegisterPatients(PackBuilder pack) => pack
        .AddModels(() => Resource("models.json"))
        .AddSample(new PackSample(SampleName, "Three patients with type 1 diabetes (an adult, an adolescent and a child of simglucose's cohort), each with a CGM and an insulin pump.", OpenSample))
        .AddDemo(new PatientDemo())
        .AddFollower(PatientFollower.Registration)
        .AddScenarioKind(new PatientScenarioKind())
        .AddConsolePage(new ConsolePage("patient", "Patient", PatientTwin.ModelId, () => Resource("patient.js")));

    /// <summary>The sample in the import format: the pack's models (models.json, whole), then the twins and relationships.</summary>
    private static Stream OpenSample()
    {
        using var models = new StreamReader(Resource("models.json"), Encoding.UTF8);
        using var twins = new StreamReader(Resource("twins.ndjson"), Encoding.UTF8);
        var text = new StringBuilder();
        text.Append("{\"Section\":\"Header\"}\n{\"fileVersion\":\"1.0.0\",\"author\":\"Doppel samples\",\"organization\":\"Doppel\"}\n{\"Section\":\"Models\"}\n");
        using (var document = System.Text.Json.JsonDocument.Parse(models.ReadToEnd()))
        {
            foreach (var model in document.RootElement.EnumerateArray())
            {
                text.Append(model.GetRawText().ReplaceLineEndings(" ")).Append('\n');
            }
        }
        text.Append(twins.ReadToEnd());
        return new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>A file the health pack carries in its assembly (samples/health's models and twins, the console page).</summary>
    internal static Stream Resource(string name) =>
        typeof(HealthPack).Assembly.GetManifestResourceStream($"Doppel.Packs.Health.{name}")
        ?? throw new InvalidOperationException($"The health pack's {name} is not embedded in its assembly.");
}
