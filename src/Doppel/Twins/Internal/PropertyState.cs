using System.Text.Json;

namespace Doppel.Twins.Internal;

/// <summary>A set property: its immutable value, the value's UTF-8 JSON size, and its metadata.</summary>
internal sealed record PropertyState(JsonElement Value, int Size, DateTimeOffset LastUpdateTime, DateTimeOffset? SourceTime);

/// <summary>A component instance on a twin: its properties and its own $lastUpdateTime.</summary>
internal sealed record ComponentState(Dictionary<string, PropertyState> Properties, DateTimeOffset LastUpdateTime)
{
    public int Size
    {
        get
        {
            var size = 32;
            foreach (var (name, p) in Properties)
            {
                size += name.Length + p.Size + 4;
            }

            return size;
        }
    }
}
