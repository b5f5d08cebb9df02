namespace Doppel.Twins.Internal;

/// <summary>
/// An immutable ordinal-sorted set of ids stored as chunks of at most <see cref="MaxChunk"/> ids.
/// </summary>
/// <remarks>
/// A write copies one chunk and the chunk table (about n / 256 references), so a snapshot is just a reference read and
/// paging from any id is two binary searches followed by array walks; an ImmutableSortedSet pays O(log n) per element.
/// </remarks>
internal sealed class SortedIdList
{
    private const int MaxChunk = 256;

    public static readonly SortedIdList Empty = new([], [], 0);

    private readonly string[][] _chunks;

    // _starts[i] is the position of _chunks[i][0] in the whole list, so ranks and range counts are binary searches.
    private readonly int[] _starts;

    private SortedIdList(string[][] chunks, int[] starts, int count) => (_chunks, _starts, Count) = (chunks, starts, count);

    public int Count { get; }

    public bool Contains(string id)
    {
        var c = ChunkFor(id);
        return c < _chunks.Length && Array.BinarySearch(_chunks[c], id, StringComparer.Ordinal) >= 0;
    }

    /// <summary>The position of the first id strictly greater than <paramref name="id"/> (0 when null).</summary>
    public int RankAfter(string? id)
    {
        if (id is null)
        {
            return 0;
        }
        var c = ChunkFor(id);
        if (c == _chunks.Length)
        {
            return Count;
        }
        var i = Array.BinarySearch(_chunks[c], id, StringComparer.Ordinal);
        return _starts[c] + (i >= 0 ? i + 1 : ~i);
    }

    /// <summary>The position of the first id greater than or equal to <paramref name="id"/>.</summary>
    public int RankOf(string id)
    {
        var c = ChunkFor(id);
        if (c == _chunks.Length)
        {
            return Count;
        }
        var i = Array.BinarySearch(_chunks[c], id, StringComparer.Ordinal);
        return _starts[c] + (i >= 0 ? i : ~i);
    }

    /// <summary>Ids from position <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), in order.</summary>
    public IEnumerable<string> Range(int from, int to)
    {
        if (from >= to)
        {
            yield break;
        }
        var c = ChunkAt(from);
        var i = from - _starts[c];
        for (var position = from; position < to; position++)
        {
            if (i == _chunks[c].Length)
            {
                c++;
                i = 0;
            }
            yield return _chunks[c][i++];
        }
    }

    public IEnumerable<string> After(string? id) => Range(RankAfter(id), Count);

    public SortedIdList Add(string id)
    {
        if (_chunks.Length == 0)
        {
            return new SortedIdList([[id]], [0], 1);
        }
        var c = Math.Min(ChunkFor(id), _chunks.Length - 1);
        var chunk = _chunks[c];
        var i = Array.BinarySearch(chunk, id, StringComparer.Ordinal);
        if (i >= 0)
        {
            return this;
        }
        i = ~i;
        var grown = new string[chunk.Length + 1];
        Array.Copy(chunk, grown, i);
        grown[i] = id;
        Array.Copy(chunk, i, grown, i + 1, chunk.Length - i);
        string[][] chunks;
        if (grown.Length <= MaxChunk)
        {
            chunks = (string[][])_chunks.Clone();
            chunks[c] = grown;
        }
        else
        {
            chunks = new string[_chunks.Length + 1][];
            Array.Copy(_chunks, chunks, c);
            chunks[c] = grown[..(grown.Length / 2)];
            chunks[c + 1] = grown[(grown.Length / 2)..];
            Array.Copy(_chunks, c + 1, chunks, c + 2, _chunks.Length - c - 1);
        }
        return new SortedIdList(chunks, Starts(chunks), Count + 1);
    }

    /// <summary>Adds many ids at once (bulk imports): one pass over the chunk table instead of a copy of it per id.</summary>
    /// <param name="sortedIds">Ids in ordinal order, without duplicates; ids already present are skipped.</param>
    public SortedIdList AddRange(IReadOnlyList<string> sortedIds)
    {
        if (sortedIds.Count == 0)
        {
            return this;
        }
        if (_chunks.Length == 0)
        {
            return FromSorted(sortedIds);
        }
        var chunks = new List<string[]>(_chunks.Length + (sortedIds.Count / (MaxChunk / 2)) + 1);
        var count = Count;
        var next = 0;
        var merged = new List<string>(MaxChunk * 2);
        for (var c = 0; c < _chunks.Length; c++)
        {
            var chunk = _chunks[c];
            var last = c == _chunks.Length - 1;
            // The new ids that belong to this chunk: up to its last id, or all that remain for the last chunk.
            var end = next;
            while (end < sortedIds.Count && (last || string.CompareOrdinal(sortedIds[end], chunk[^1]) <= 0))
            {
                end++;
            }
            if (end == next)
            {
                chunks.Add(chunk);
                continue;
            }
            merged.Clear();
            var i = 0;
            while (i < chunk.Length || next < end)
            {
                var order = i == chunk.Length ? 1 : next == end ? -1 : string.CompareOrdinal(chunk[i], sortedIds[next]);
                if (order <= 0)
                {
                    merged.Add(chunk[i++]);
                    next += order == 0 ? 1 : 0;
                }
                else
                {
                    merged.Add(sortedIds[next++]);
                    count++;
                }
            }
            // Evenly sized pieces of at most MaxChunk ids.
            var pieces = (merged.Count + MaxChunk - 1) / MaxChunk;
            for (int p = 0, from = 0; p < pieces; p++)
            {
                var to = (int)((long)merged.Count * (p + 1) / pieces);
                chunks.Add(merged.GetRange(from, to - from).ToArray());
                from = to;
            }
        }
        var table = chunks.ToArray();
        return new SortedIdList(table, Starts(table), count);
    }

    public SortedIdList Remove(string id)
    {
        var c = ChunkFor(id);
        if (c == _chunks.Length)
        {
            return this;
        }
        var chunk = _chunks[c];
        var i = Array.BinarySearch(chunk, id, StringComparer.Ordinal);
        if (i < 0)
        {
            return this;
        }
        string[][] chunks;
        if (chunk.Length == 1)
        {
            chunks = new string[_chunks.Length - 1][];
            Array.Copy(_chunks, chunks, c);
            Array.Copy(_chunks, c + 1, chunks, c, _chunks.Length - c - 1);
        }
        else
        {
            var shrunk = new string[chunk.Length - 1];
            Array.Copy(chunk, shrunk, i);
            Array.Copy(chunk, i + 1, shrunk, i, chunk.Length - i - 1);
            chunks = (string[][])_chunks.Clone();
            chunks[c] = shrunk;
        }
        return new SortedIdList(chunks, Starts(chunks), Count - 1);
    }

    /// <summary>Builds a list from ids already sorted ordinally and distinct (bulk index builds).</summary>
    public static SortedIdList FromSorted(IReadOnlyList<string> ids)
    {
        var chunks = new string[(ids.Count + MaxChunk - 1) / MaxChunk][];
        for (var c = 0; c < chunks.Length; c++)
        {
            var length = Math.Min(MaxChunk, ids.Count - (c * MaxChunk));
            chunks[c] = new string[length];
            for (var i = 0; i < length; i++)
            {
                chunks[c][i] = ids[(c * MaxChunk) + i];
            }
        }
        return new SortedIdList(chunks, Starts(chunks), ids.Count);
    }

    private static int[] Starts(string[][] chunks)
    {
        var starts = new int[chunks.Length];
        var position = 0;
        for (var c = 0; c < chunks.Length; c++)
        {
            starts[c] = position;
            position += chunks[c].Length;
        }
        return starts;
    }

    // The first chunk whose last id is >= id; _chunks.Length when id sorts after everything.
    private int ChunkFor(string id)
    {
        int lo = 0, hi = _chunks.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_chunks[mid][^1], id) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private int ChunkAt(int position)
    {
        var c = Array.BinarySearch(_starts, position);
        return c >= 0 ? c : ~c - 1;
    }
}
