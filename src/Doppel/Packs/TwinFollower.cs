namespace Doppel.Packs;

/// <summary>
/// A follower a pack registers (<see cref="PackBuilder.AddFollower"/>): which twins it follows and how to make one
/// instance of it for a server (a process may run several servers; each gets its own).
/// </summary>
/// <param name="Name">The follower's name in its pack (lower case): its alerts' source is <c>follower:{pack}/{name}/{alert}</c>.</param>
/// <param name="Description">One sentence on what it does to the twins it follows.</param>
/// <param name="Models">The DTMIs of the twins it follows (twins of models extending them too).</param>
/// <param name="Create">Makes the instance a server runs.</param>
public sealed record TwinFollower(string Name, string Description, IReadOnlyList<string> Models, Func<ITwinFollower> Create);
