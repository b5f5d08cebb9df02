using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Doppel.Packs.Health.Drugs;

namespace Doppel.IntegrationTests;

/// <summary>
/// The drug twin from the command line and the API: <c>doppel pk simulate|fit|dose|population</c>, <c>doppel trial
/// drug</c>, the <c>vancomycin-dosing</c> and <c>drug-trial</c> experiment kinds, and bad input refused in one line.
/// </summary>
public sealed class DrugCliTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Patient = """
        model: vancomycin-goti-2018
        patient: { weight: 82, age: 67, female: false, scr: 1.4, dialysis: false }
        regimen: { dose: 1250, interval: 12, count: 4, route: infusion, duration: 1.5 }
        levels:
          - { time: 38.5, value: 34.2 }
          - { time: 47.5, value: 21.6 }
        """;

    [Fact]
    public async Task Pk_dose_prints_the_recommendation_the_library_computes_and_its_json_has_the_posterior_and_curves()
    {
        var file = Write("patient.yaml", Patient);
        var text = await DoppelProcess.RunAsync("pk", "dose", file);
        Assert.True(text.ExitCode == 0, text.StdErr);
        var json = await DoppelProcess.RunAsync("pk", "dose", file, "--json");
        Assert.True(json.ExitCode == 0, json.StdErr);

        // The same patient through the library: Cockcroft–Gault (67 y, 82 kg, SCr 1.4) and the MAP fit.
        var covariates = new Dictionary<string, double> { ["weight"] = 82, ["age"] = 67, ["female"] = 0, ["scr"] = 1.4, ["dialysis"] = 0, ["crcl"] = VirtualPopulation.CreatinineClearance(67, 82, false, 1.4) };
        var doses = new DosingRegimen(1250, 12, 4, DoseRoute.Infusion, 1.5).Doses();
        var fit = BayesianEstimator.Fit(Vancomycin.Goti2018, covariates, doses, [new Level(38.5, 34.2), new Level(47.5, 21.6)]).Value!;
        var recommendation = DoseFinder.Recommend(fit, new DoseTarget()).Value!;
        Assert.Contains($"Recommended {recommendation.Regimen}", text.StdOut, StringComparison.Ordinal);
        var result = JsonNode.Parse(json.StdOut)!;
        Assert.Equal(recommendation.Regimen.Amount, (double)result["recommendation"]!["dose"]!);
        Assert.Equal(recommendation.Regimen.Interval, (double)result["recommendation"]!["interval"]!);
        Assert.Equal(fit.Parameters.CL, (double)result["posterior"]!["parameters"]!["CL"]!["map"]!, 9);
        Assert.InRange((double)result["recommendation"]!["auc24"]!, 400, 600);
        var curves = result["curves"]!;
        Assert.Equal(curves["times"]!.AsArray().Count, curves["recommended"]!["map"]!.AsArray().Count);
        Assert.All(Enumerable.Range(0, curves["times"]!.AsArray().Count), i =>
            Assert.True((double)curves["recommended"]!["lower"]![i]! <= (double)curves["recommended"]!["upper"]![i]! + 1e-9));
    }

    [Fact]
    public async Task Pk_simulate_solves_the_ODE_beside_the_closed_form_and_pk_fit_prints_the_posterior()
    {
        var file = Write("simulate.yaml", """
            parameters: { compartments: 3, CL: 3.2, V1: 20, Q2: 9, V2: 45, Q3: 0.8, V3: 110, KA: 0.7, F: 0.6, LAG: 0.25 }
            doses:
              - { time: 0, amount: 500, route: oral }
              - { time: 12, amount: 500, route: oral }
              - { time: 24, amount: 300, route: bolus }
            times: { from: 0, to: 48, step: 0.5 }
            pd: { emax: { e0: 5, emax: 60, ec50: 4, hill: 2 } }
            """);
        var simulated = await DoppelProcess.RunAsync("pk", "simulate", file, "--ode", "--solver", "rodas4", "--json");
        Assert.True(simulated.ExitCode == 0, simulated.StdErr);
        var json = JsonNode.Parse(simulated.StdOut)!;
        Assert.True((double)json["odeMaxRelativeDifference"]! < 1e-9, simulated.StdOut[..200]);
        Assert.Equal(97, json["concentration"]!.AsArray().Count);
        Assert.Equal(5 + (60 * 1 / (1 + Math.Pow(4 / (double)json["cmax"]!, 2))), json["effect"]!.AsArray().Select(e => (double)e!).Max(), 9);

        var fit = await DoppelProcess.RunAsync("pk", "fit", Write("fit.yaml", Patient));
        Assert.True(fit.ExitCode == 0, fit.StdErr);
        Assert.Contains("eta_CL", fit.StdOut, StringComparison.Ordinal);
        Assert.Contains("47.5\t21.6\t", fit.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pk_population_and_trial_drug_compare_weight_based_dosing_with_the_guided_adjustment()
    {
        var population = await DoppelProcess.RunAsync("pk", "population", "--patients", "60", "--seed", "3", "--json");
        Assert.True(population.ExitCode == 0, population.StdErr);
        var shares = JsonNode.Parse(population.StdOut)!;
        Assert.True((double)shares["guided"]!["inTarget"]! > (double)shares["standard"]!["inTarget"]! + 0.3, population.StdOut);

        var trial = Write("trial.yaml", """
            kind: drug-trial
            model: vancomycin-goti-2018
            regimens:
              - { name: weight-based, mgPerKg: 15, interval: 12 }
              - { name: guided, guided: true }
            run: { replications: 40, seed: 3 }
            """);
        var table = await DoppelProcess.RunAsync("trial", "drug", trial);
        Assert.True(table.ExitCode == 0, table.StdErr);
        Assert.Contains("in target vs weight-based", table.StdOut, StringComparison.Ordinal);
        var json = await DoppelProcess.RunAsync("trial", "drug", trial, "--json");
        var arms = JsonNode.Parse(json.StdOut)!["scenarios"]!.AsArray();
        Assert.Equal(["weight-based", "guided"], arms.Select(a => (string?)a!["name"]));
        Assert.True((bool)arms[1]!["comparisons"]!["inTarget"]!["significant"]!);

        // The same file through the server (POST /doppel/experiments) gives the same table.
        var remote = await server.SendOkAsync(HttpMethod.Post, "/doppel/experiments", await File.ReadAllTextAsync(trial), "application/yaml");
        Assert.Equal((double)arms[1]!["kpis"]!["inTarget"]!["mean"]!, (double)remote["scenarios"]![1]!["kpis"]!["inTarget"]!["mean"]!);
    }

    [Fact]
    public async Task The_vancomycin_dosing_kind_answers_over_the_API_and_refuses_bad_input_with_its_place()
    {
        var answer = await server.SendOkAsync(HttpMethod.Post, "/doppel/experiments", "kind: vancomycin-dosing\n" + Patient.Replace("model: vancomycin-goti-2018\n", "", StringComparison.Ordinal), "application/yaml");
        Assert.Equal("vancomycin-dosing", (string?)answer["kind"]);
        Assert.Equal(["current", "recommended"], answer["scenarios"]!.AsArray().Select(s => (string?)s!["name"]));

        using var negative = await server.SendAsync(HttpMethod.Post, "/doppel/experiments", "kind: vancomycin-dosing\n" + Patient.Replace("dose: 1250", "dose: -1250", StringComparison.Ordinal), "application/yaml");
        Assert.Equal(400, (int)negative.StatusCode);
        Assert.Contains("the dose must be more than 0 mg", await negative.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model: vancomycin-nobody\n", "unknown model 'vancomycin-nobody'; the shipped models are: vancomycin-goti-2018")]
    [InlineData("regimen: { dose: -5, interval: 12 }\n", "the dose must be more than 0 mg, got -5")]
    [InlineData("levels: [ { time: 3, value: -1 } ]\n", "a level must be a concentration of 0 mg/L or more")]
    [InlineData("patient: { weight: heavy }\n", "patient.weight: 'heavy' is not a number")]
    [InlineData("regimen: { dose: 1000, interval: 12\n", "not valid YAML")]
    public async Task Bad_documents_are_refused_in_one_line_with_exit_code_2(string replaced, string message)
    {
        var key = replaced.Split(':')[0];
        var lines = Patient.Split('\n').Where(l => !l.StartsWith(key, StringComparison.Ordinal) && !(key == "levels" && l.StartsWith("  -", StringComparison.Ordinal)));
        var file = Write($"bad-{key}.yaml", replaced + string.Join('\n', lines));
        var result = await DoppelProcess.RunAsync("pk", "dose", file);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.Single(result.StdErr.Trim().Split('\n'));
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task The_drug_regimen_and_measurement_models_are_valid_DTDL()
    {
        var path = Path.Combine(Repository.Root, "samples", "health", "models.json");
        var result = await DoppelProcess.RunAsync("models", "validate", path);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        var ids = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsArray().Select(m => (string?)m!["@id"]).ToList();
        Assert.Contains("dtmi:doppel:health:DrugRegimen;1", ids);
        Assert.Contains("dtmi:doppel:health:Measurement;1", ids);
    }

    [Fact]
    public async Task Bad_options_are_refused_with_their_reason()
    {
        var unknown = await DoppelProcess.RunAsync("pk", "population", "--model", "aspirin");
        Assert.Equal((2, "doppel: --model: unknown model 'aspirin'; the shipped models are: vancomycin-goti-2018."), (unknown.ExitCode, unknown.StdErr.Trim()));
        var patients = await DoppelProcess.RunAsync("pk", "population", "--patients", "0");
        Assert.Equal(2, patients.ExitCode);
        Assert.Contains("--patients must be a whole number", patients.StdErr, StringComparison.Ordinal);
        var solver = await DoppelProcess.RunAsync("pk", "simulate", Write("s.yaml", Patient), "--solver", "euler");
        Assert.Equal((2, "doppel: --solver is dopri54 or rodas4, not 'euler'."), (solver.ExitCode, solver.StdErr.Trim()));
    }

    private static string Write(string name, string text)
    {
        var folder = Repository.TempFolder();
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"), System.Text.Encoding.UTF8);
        return path.ToString(CultureInfo.InvariantCulture);
    }
}
