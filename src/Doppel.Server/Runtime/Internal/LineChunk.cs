using System.Text;
using System.Text.Unicode;

namespace Doppel.Server.Runtime.Internal;

/// <summary>The twin or relationship lines of a chunk, as UTF-8 in one buffer reused from chunk to chunk.</summary>
internal sealed class LineChunk(int capacity)
{
    private readonly List<(long Line, int Start, int Length)> _lines = new(capacity);
    private byte[] _bytes = new byte[1 << 20];
    private int _used;

    public int Count => _lines.Count;

    public void Add(long line, ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            // What a StreamReader made of it: invalid sequences replaced by U+FFFD.
            utf8 = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8));
        }
        if (_used + utf8.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + utf8.Length));
        }
        utf8.CopyTo(_bytes.AsSpan(_used));
        _lines.Add((line, _used, utf8.Length));
        _used += utf8.Length;
    }

    public ReadOnlySpan<byte> Text(int i)
    {
        var (_, start, length) = _lines[i];
        return _bytes.AsSpan(start, length);
    }

    public long[] LineNumbers()
    {
        var numbers = new long[_lines.Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = _lines[i].Line;
        }
        return numbers;
    }

    public void Clear()
    {
        _lines.Clear();
        _used = 0;
    }
}
