using System.Text;

namespace Doppel.Tests.Mobility.Import;

/// <summary>The small SUMO scenario shipped for the integration tests (generated with netgenerate and randomTrips; SOURCE.md beside it), and XML written in a test.</summary>
internal static class SumoFiles
{
    public static string Data { get; } = FindData();

    public static string Path(string file) => System.IO.Path.Combine(Data, file);

    public static MemoryStream Xml(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string FindData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Doppel.slnx")))
            {
                return System.IO.Path.Combine(dir.FullName, "tests", "Doppel.IntegrationTests", "Mobility", "Data");
            }
        }
        throw new InvalidOperationException("Doppel.slnx not found above " + AppContext.BaseDirectory);
    }
}
