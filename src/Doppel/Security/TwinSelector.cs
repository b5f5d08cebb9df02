namespace Doppel.Security;

/// <summary>
/// Which twins a policy entry covers: those whose id starts with <see cref="IdPrefix"/> and for which the query
/// condition <see cref="Where"/> holds (<c>IS_OF_MODEL('dtmi:factory:Pump;1')</c>, <c>line = 'A'</c>); both when both
/// are given.
/// </summary>
public sealed record TwinSelector(string? IdPrefix, string? Where);
