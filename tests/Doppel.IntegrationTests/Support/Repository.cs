namespace Doppel.IntegrationTests.Support;

/// <summary>Paths inside the repository, found from the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string TestData(params string[] parts) => Path.Combine([Root, "tests", "Doppel.Tests", "Data", .. parts]);

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "doppel-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Doppel.slnx not found above " + AppContext.BaseDirectory);
    }
}
