using System.Buffers;
using System.Text.Json;

namespace Doppel.Twins.Internal;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> and its buffer, reused per thread to serialize a document to a fresh array.
/// </summary>
/// <remarks>
/// A new writer and a buffer grown by doubling for every document was a large share of a bulk import's allocations,
/// and so of its garbage collection. A buffer that grew past <see cref="MaxKeptBytes"/> is not kept.
/// </remarks>
internal static class JsonScratch
{
    private const int MaxKeptBytes = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Serializes with <paramref name="write"/> and returns a copy of the bytes.</summary>
    public static byte[] ToArray<TState>(TState state, Action<TState, Utf8JsonWriter> write)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        var writer = t_writer;
        t_buffer = null;
        t_writer = null;
        buffer.ResetWrittenCount();
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }
        write(state, writer);
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity <= MaxKeptBytes)
        {
            // Taken out above and put back only now, so a nested or failed serialization never shares them.
            t_buffer = buffer;
            t_writer = writer;
        }
        return bytes;
    }
}
