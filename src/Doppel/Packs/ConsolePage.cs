namespace Doppel.Packs;

/// <summary>
/// A page a pack adds to the web console: an ES module (embedded in the pack) whose default export is a page component,
/// served at <c>/console/packs/{pack}/{name}.js</c> and listed in <c>GET /doppel/packs</c>, so the console puts it in its
/// navigation and, when <see cref="ModelId"/> is set, links the twins of that model (or of models extending it) to it.
/// </summary>
/// <param name="Name">The page's name in its pack (lower case, unique within the pack): its address.</param>
/// <param name="Title">What the navigation shows.</param>
/// <param name="ModelId">The DTMI of the twins the page shows (it gets <c>?twin=ID</c>), or null for a page of its own.</param>
/// <param name="OpenModule">Opens the module's JavaScript source (UTF-8), each time it is served.</param>
public sealed record ConsolePage(string Name, string Title, string? ModelId, Func<Stream> OpenModule);
