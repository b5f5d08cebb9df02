using System.Text;
using Doppel.Modeling;
using Xunit.Abstractions;

namespace Doppel.Tests.Modeling;

/// <summary>
/// Runs the team's DTDL conformance corpus (Data/dtdl-conformance, derived from the specification's rules) through
/// <see cref="ModelParser"/>: a valid case must parse without errors, an invalid one must get at least one error, and no
/// case may throw or hang. One test per DTDL version lists every disagreement at once, with per-rule totals in the output.
/// </summary>
public sealed class DtdlConformanceCorpusTests(ITestOutputHelper output)
{
    /// <summary>Far above any case's parse time; a case that takes longer is reported as a hang instead of blocking the run.</summary>
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(30);

    private const int MinimumCasesPerVersion = 300;

    [Theory]
    [InlineData("v2")]
    [InlineData("v3")]
    [InlineData("v4")]
    public void Every_case_gets_the_verdict_the_specification_gives(string version)
    {
        var outcomes = DtdlCorpus.Load(version).Select(Run).ToList();

        output.WriteLine(Summary(version, outcomes));
        foreach (var rule in outcomes.GroupBy(o => o.Case.Rule).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {rule.Key,-40} {rule.Count(o => o.Agrees),4}/{rule.Count(),-4} {Counts(rule.ToList())}");
        }

        var failures = outcomes.Where(o => !o.Agrees).ToList();
        if (failures.Count > 0)
        {
            var message = new StringBuilder();
            message.AppendLine($"{failures.Count} of {outcomes.Count} {version} cases disagree with the specification. {Summary(version, outcomes)}");
            foreach (var failure in failures)
            {
                message.AppendLine(failure.Describe());
            }

            Assert.Fail(message.ToString());
        }
    }

    [Fact]
    public void The_corpus_holds_valid_and_invalid_cases_for_every_rule_of_every_version()
    {
        foreach (var version in DtdlCorpus.Versions)
        {
            var cases = DtdlCorpus.Load(version);
            Assert.True(cases.Count >= MinimumCasesPerVersion, $"{version} has {cases.Count} cases; the corpus should hold at least {MinimumCasesPerVersion}");
            Assert.Contains(cases, c => c.Valid);
            Assert.Contains(cases, c => !c.Valid);
            foreach (var rule in cases.GroupBy(c => c.Rule))
            {
                Assert.True(rule.Any(c => c.Valid) && rule.Any(c => !c.Valid),
                    $"{version}/{rule.Key} needs both a valid and an invalid case, so that neither 'accept all' nor 'refuse all' passes it");
            }

            Assert.Contains(cases, c => c.Options.AllowUnknownExtensions == true);
            Assert.Contains(cases, c => c.Options.AllowUndefinedReferences);
        }
    }

    private static Outcome Run(CorpusCase c)
    {
        var parse = Task.Run(() => new ModelParser(c.Options).Parse(c.Documents));
        try
        {
            if (!parse.Wait(CaseTimeout))
            {
                return new Outcome(c, Verdict.Hung, [], null);
            }
        }
        catch (AggregateException e)
        {
            return new Outcome(c, Verdict.Threw, [], e.InnerException ?? e);
        }

        var result = parse.Result;
        return new Outcome(c, result.IsValid ? Verdict.Accepted : Verdict.Refused, result.Errors, null);
    }

    private static string Summary(string version, IReadOnlyList<Outcome> outcomes) =>
        $"{version}: {outcomes.Count(o => o.Agrees)}/{outcomes.Count} cases agree; {Counts(outcomes)}";

    private static string Counts(IReadOnlyList<Outcome> outcomes)
    {
        var valid = outcomes.Where(o => o.Case.Valid).ToList();
        var invalid = outcomes.Where(o => !o.Case.Valid).ToList();
        var threw = outcomes.Count(o => o.Verdict == Verdict.Threw);
        var hung = outcomes.Count(o => o.Verdict == Verdict.Hung);
        return $"valid accepted {valid.Count(o => o.Verdict == Verdict.Accepted)}/{valid.Count}, invalid refused {invalid.Count(o => o.Verdict == Verdict.Refused)}/{invalid.Count}"
            + (threw > 0 ? $", THREW {threw}" : "") + (hung > 0 ? $", HUNG {hung}" : "");
    }

    private enum Verdict { Accepted, Refused, Threw, Hung }

    private sealed record Outcome(CorpusCase Case, Verdict Verdict, IReadOnlyList<ModelError> Errors, Exception? Exception)
    {
        public bool Agrees => Verdict == (Case.Valid ? Verdict.Accepted : Verdict.Refused);

        public string Describe()
        {
            var head = $"- {Case.Path} ({Case.OptionsLabel}): expected {(Case.Valid ? "valid" : "invalid")}, ";
            var what = Verdict switch
            {
                Verdict.Threw => $"THREW {Exception!.GetType().Name}: {Exception.Message}\n    at {Exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}",
                Verdict.Hung => $"HUNG (no result within {CaseTimeout.TotalSeconds} s)",
                Verdict.Refused => $"refused with {Errors.Count} error(s): " + string.Join(" | ", Errors.Take(3).Select(e => $"{e.Path}: {e.Rule}: {e.Message}")),
                _ => "accepted without errors",
            };
            return head + what + $"\n    {Case.Description}";
        }
    }
}
