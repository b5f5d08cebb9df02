using Doppel.Modeling;

namespace Doppel.Tests.Modeling;

/// <summary>Finds model corpora: the shipped subset next to the test binaries, and the shared folder outside the repository.</summary>
internal static class ModelData
{
    public static string Shipped(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "dtdl", name);

    /// <summary>
    /// DOPPEL_DATA/dtdl, else ../shared/data/dtdl relative to the repository root (the folder holding Doppel.slnx);
    /// a git worktree sits one level deeper than the main checkout, so the parents of the root are tried too.
    /// </summary>
    public static string? SharedDtdl()
    {
        if (Environment.GetEnvironmentVariable("DOPPEL_DATA") is { Length: > 0 } env)
        {
            return Path.Combine(env, "dtdl");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")))
            {
                for (var up = dir.Parent; up is not null; up = up.Parent)
                {
                    var candidate = Path.Combine(up.FullName, "shared", "data", "dtdl");
                    if (Directory.Exists(candidate))
                    {
                        return candidate;
                    }
                }

                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "dtdl"));
            }
        }

        return null;
    }

    public static List<ModelDocument> Load(string folder) =>
        Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => new ModelDocument(Path.GetRelativePath(folder, f), File.ReadAllText(f)))
            .ToList();
}
