namespace Doppel.Modeling;

/// <summary>One DTDL JSON text to load; <see cref="Name"/> (a file path or "models[3]") is quoted in errors.</summary>
public sealed record ModelDocument(string Name, string Json);
