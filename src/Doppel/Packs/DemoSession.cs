namespace Doppel.Packs;

/// <summary>A demo ready to run: a headline for the banner, commands to try, and the run itself (until its token is cancelled).</summary>
/// <param name="Headline">One line: what is live (<c>the sample factory (line-1: press → weld → ...) is live</c>).</param>
/// <param name="Hints">Commands a user can try against the demo's server: arguments after the program, without <c>--server</c> (the host adds it and prints them as the user runs the program).</param>
/// <param name="RunAsync">Runs until cancelled; returning early ends the demo.</param>
public sealed record DemoSession(string Headline, IReadOnlyList<IReadOnlyList<string>> Hints, Func<CancellationToken, Task> RunAsync);
