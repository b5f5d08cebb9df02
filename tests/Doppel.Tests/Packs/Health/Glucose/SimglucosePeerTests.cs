using Doppel.Packs.Health.Glucose;

namespace Doppel.Tests.Packs.Health.Glucose;

/// <summary>
/// All 30 virtual patients, one day on the same random meal scenario, sensor and basal-bolus controller, in simglucose
/// (the vendored peer, run here by Debian's Python, which eng/test.sh installs) and in Doppel: the same BG at every row
/// within 0.1 mg/dL (the full 10 days are in <c>doppel bench health</c>).
/// </summary>
public sealed class SimglucosePeerTests
{
    [Fact]
    public void All_thirty_patients_match_simglucose_run_beside_them()
    {
        var peer = SimglucosePeer.Locate();
        Assert.True(peer.IsSuccess, peer.Error?.Message);
        var run = new SimglucoseRun(PatientParameters.All, TimeSpan.FromDays(1), new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Unspecified))
        {
            ScenarioSeed = 3,
            SensorSeed = 2,
        };
        var output = Directory.CreateTempSubdirectory("doppel-simglucose-");
        try
        {
            var python = peer.Value!.Run(run, output.FullName);
            Assert.True(python.IsSuccess, python.Error?.Message);
            var doppel = run.RunDoppel(Environment.ProcessorCount).Value!;
            var worst = 0.0;
            for (var p = 0; p < run.Patients.Count; p++)
            {
                var (expected, actual) = (python.Value.Traces[p], doppel[p]);
                Assert.Equal(expected.Rows.Count, actual.Rows.Count);
                for (var i = 0; i < expected.Rows.Count; i++)
                {
                    Assert.Equal(expected.Rows[i].Time, actual.Rows[i].Time);
                    var difference = Math.Abs(expected.Rows[i].Bg - actual.Rows[i].Bg);
                    Assert.True(difference < 0.1, $"{expected.Patient} row {i}: BG {actual.Rows[i].Bg} vs simglucose {expected.Rows[i].Bg}");
                    Assert.Equal(expected.Rows[i].Cho ?? 0, actual.Rows[i].Cho ?? 0, 9);
                    Assert.Equal(expected.Rows[i].Insulin ?? 0, actual.Rows[i].Insulin ?? 0, 9);
                    Assert.True(Math.Abs(expected.Rows[i].Cgm - actual.Rows[i].Cgm) < 0.1, $"{expected.Patient} row {i}: CGM {actual.Rows[i].Cgm} vs simglucose {expected.Rows[i].Cgm}");
                    worst = Math.Max(worst, difference);
                }
            }
            Assert.True(worst < 1e-6, $"max |BG - simglucose| = {worst} mg/dL");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_missing_peer_folder_is_a_clear_error()
    {
        var missing = SimglucosePeer.Locate(Path.Combine(Path.GetTempPath(), "no-such-simglucose-peer"));
        Assert.Equal("peer-missing", missing.Error!.Code);
        Assert.Contains("run_cohort.py", missing.Error.Message, StringComparison.Ordinal);
    }
}
