using System.Text;
using Doppel.IntegrationTests.Greenhouse;
using Doppel.Packs;

[assembly: DoppelPack(typeof(GreenhousePack))]

namespace Doppel.IntegrationTests.Greenhouse;

/// <summary>
/// A small pack outside the manufacturing folder, plugged in through the same extension point: a greenhouse model, a
/// scenario kind forking a live greenhouse twin, an experiment kind for greenhouse files, a sample, a demo, two verbs (one reads a document) and a console page.
/// The host finds it by its assembly attribute, as it finds every pack.
/// </summary>
public sealed class GreenhousePack : IPack
{
    public const string Model = "dtmi:example:greenhouse:Greenhouse;1";

    public const string Models = """
        [{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:example:greenhouse:Greenhouse;1", "@type": "Interface", "displayName": "Greenhouse",
          "contents": [
            {"@type": "Property", "name": "temperature", "schema": "double"},
            {"@type": "Property", "name": "heaterOn", "schema": "boolean"},
            {"@type": "Property", "name": "setpoint", "schema": "double", "writable": true},
            {"@type": "Property", "name": "heaterPower", "schema": "double", "writable": true},
            {"@type": "Property", "name": "timeConstant", "schema": "double", "writable": true},
            {"@type": "Telemetry", "name": "outsideTemperature", "schema": "double"}]}]
        """;

    public const string Sample = """
        {"Section": "Header"}
        {"fileVersion": "1.0.0", "author": "Doppel tests", "organization": "Doppel"}
        {"Section": "Models"}
        {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:example:greenhouse:Greenhouse;1", "@type": "Interface", "displayName": "Greenhouse", "contents": [{"@type": "Property", "name": "temperature", "schema": "double"}, {"@type": "Property", "name": "heaterOn", "schema": "boolean"}, {"@type": "Property", "name": "setpoint", "schema": "double", "writable": true}, {"@type": "Property", "name": "heaterPower", "schema": "double", "writable": true}, {"@type": "Property", "name": "timeConstant", "schema": "double", "writable": true}, {"@type": "Telemetry", "name": "outsideTemperature", "schema": "double"}]}
        {"Section": "Twins"}
        {"$dtId": "gh-1", "$metadata": {"$model": "dtmi:example:greenhouse:Greenhouse;1"}, "temperature": 15, "heaterOn": false, "setpoint": 20, "heaterPower": 7.5, "timeConstant": 4}
        {"$dtId": "gh-2", "$metadata": {"$model": "dtmi:example:greenhouse:Greenhouse;1"}, "temperature": 21, "heaterOn": false, "setpoint": 18, "heaterPower": 4, "timeConstant": 6}
        {"Section": "Relationships"}
        """;

    public string Name => "greenhouse";

    public string Description => "Greenhouses: a heater, a thermostat and the weather outside.";

    public void Register(PackBuilder pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        pack.AddModels(() => Text(Models))
            .AddScenarioKind(new GreenhouseScenarioKind())
            .AddExperimentKind(new GreenhouseExperimentKind())
            .AddSample(new PackSample("greenhouse", "Two greenhouses with heaters and thermostats.", () => Text(Sample)))
            .AddDemo(new GreenhouseDemo())
            .AddVerb(GreenhouseStatus.Verb)
            .AddVerb(GreenhouseSettings.Verb)
            .AddConsolePage(new ConsolePage("greenhouses", "Greenhouses", Model, () =>
                typeof(GreenhousePack).Assembly.GetManifestResourceStream("Doppel.IntegrationTests.Greenhouse.greenhouse-page.js")
                ?? throw new InvalidOperationException("The greenhouse page is not embedded in the test assembly.")));
    }

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));
}
