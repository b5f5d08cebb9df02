namespace Doppel.Analytics.Anomaly.Internal;

/// <summary>
/// The last <c>capacity</c> values in arrival order and sorted, so that the median and the median absolute deviation
/// come without sorting per point. Insert and remove are binary search plus one block copy.
/// </summary>
internal sealed class SlidingMedian(int capacity)
{
    private readonly double[] _ring = new double[capacity];
    private readonly double[] _sorted = new double[capacity];
    private int _count;
    private int _next;

    public int Count => _count;

    public void Add(double value)
    {
        if (_count == _ring.Length)
        {
            var old = _ring[_next];
            var at = _sorted.AsSpan(0, _count).BinarySearch(old);
            Array.Copy(_sorted, at + 1, _sorted, at, _count - at - 1);
            _count--;
        }
        _ring[_next] = value;
        _next = (_next + 1) % _ring.Length;
        var index = _sorted.AsSpan(0, _count).BinarySearch(value);
        if (index < 0)
        {
            index = ~index;
        }
        Array.Copy(_sorted, index, _sorted, index + 1, _count - index);
        _sorted[index] = value;
        _count++;
    }

    public double Median => _count == 0 ? 0 : (_count % 2 == 1 ? _sorted[_count / 2] : 0.5 * (_sorted[_count / 2 - 1] + _sorted[_count / 2]));

    /// <summary>Median absolute deviation from the median (recomputed: call it only when needed).</summary>
    public double Mad()
    {
        if (_count == 0)
        {
            return 0;
        }
        var median = Median;
        // The deviations from the median are two sorted runs meeting at the median: merge them from the inside out.
        var right = _sorted.AsSpan(0, _count).BinarySearch(median);
        if (right < 0)
        {
            right = ~right;
        }
        var left = right - 1;
        var target = _count / 2;
        double last = 0;
        for (var k = 0; k <= target; k++)
        {
            var dl = left >= 0 ? median - _sorted[left] : double.PositiveInfinity;
            var dr = right < _count ? _sorted[right] - median : double.PositiveInfinity;
            if (dl <= dr)
            {
                last = dl;
                left--;
            }
            else
            {
                last = dr;
                right++;
            }
        }
        return last;
    }

    public double Min => _sorted[0];

    public double Max => _sorted[_count - 1];
}
