namespace Doppel.Simulation.Continuous;

public abstract partial class OdeSolver
{
    private readonly ZeroCrossing[] _zeroCrossings;
    private readonly double[] _gPrevious;
    private readonly double[] _gNew;
    private readonly bool[] _stoppedBy;
    private readonly double[] _eventState;
    private readonly List<OdeEventHit> _hits = [];
    private readonly List<(int Index, double Time)> _found = [];
    private double _stopTime = double.NaN;

    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Checks the last step for sign changes; true when a terminal event moved the state back to it.</summary>
    private bool CheckEvents()
    {
        _found.Clear();
        for (var i = 0; i < _zeroCrossings.Length; i++)
        {
            var g1 = _zeroCrossings[i].Function(CurrentTime, Y);
            _gNew[i] = g1;
            if (Crossed(_gPrevious[i], g1, _zeroCrossings[i].Direction))
            {
                _found.Add((i, Locate(i, _stepStart, _gPrevious[i], CurrentTime, g1)));
            }
        }
        _gNew.CopyTo(_gPrevious, 0);
        if (_found.Count == 0)
        {
            return false;
        }
        // Insertion sort: a step rarely holds more than one or two crossings.
        for (var i = 1; i < _found.Count; i++)
        {
            var item = _found[i];
            var j = i - 1;
            while (j >= 0 && _found[j].Time > item.Time)
            {
                _found[j + 1] = _found[j];
                j--;
            }
            _found[j + 1] = item;
        }
        var stop = double.PositiveInfinity;
        foreach (var (index, time) in _found)
        {
            if (time > stop)
            {
                break;
            }
            Interpolate(time, _eventState);
            var terminal = _zeroCrossings[index].Terminal;
            _hits.Add(new OdeEventHit(index, time, [.. _eventState], terminal));
            if (terminal)
            {
                stop = time;
            }
        }
        if (double.IsPositiveInfinity(stop))
        {
            return false;
        }
        Interpolate(stop, _eventState);
        _eventState.CopyTo(Y, 0);
        CurrentTime = stop;
        Restart(keepStepSize: true);
        Array.Clear(_stoppedBy);
        foreach (var (index, time) in _found)
        {
            _stoppedBy[index] |= time == stop && _zeroCrossings[index].Terminal;
        }
        ResetEventSigns(double.NaN);
        _stopTime = stop;
        return true;
    }

    /// <summary>
    /// Evaluates every g at the current state. An event that stopped integration at this very time starts from zero,
    /// so that a state change there (a bounce) does not count as crossing it again on the way out.
    /// </summary>
    private void ResetEventSigns(double stopTime)
    {
        for (var i = 0; i < _zeroCrossings.Length; i++)
        {
            _gPrevious[i] = CurrentTime == stopTime && _stoppedBy[i] ? 0 : _zeroCrossings[i].Function(CurrentTime, Y);
        }
        _stopTime = double.NaN;
    }

    private static bool Crossed(double g0, double g1, EventDirection direction)
    {
        var rising = g0 < 0 && g1 >= 0;
        var falling = g0 > 0 && g1 <= 0;
        return direction switch
        {
            EventDirection.Rising => rising,
            EventDirection.Falling => falling,
            _ => rising || falling,
        };
    }

    /// <summary>
    /// The Illinois variant of regula falsi on the dense output (Dowell &amp; Jarratt, BIT 11, 1971). It returns a time
    /// at or just past the root, where g already has its new sign, so continuing does not find the same crossing again.
    /// </summary>
    private double Locate(int index, double a, double ga, double b, double gb)
    {
        var g = _zeroCrossings[index].Function;
        var side = 0;
        for (var iteration = 0; iteration < 200 && gb != 0; iteration++)
        {
            var tolerance = Math.Max(Options.EventTolerance, 4 * MachineEpsilon * Math.Max(Math.Abs(a), Math.Abs(b)));
            if (b - a <= tolerance)
            {
                break;
            }
            var c = b - (gb * (b - a) / (gb - ga));
            if (!(c > a && c < b))
            {
                c = 0.5 * (a + b);
            }
            Interpolate(c, _eventState);
            var gc = g(c, _eventState);
            if (gc == 0)
            {
                return c;
            }
            if (Math.Sign(gc) == Math.Sign(gb))
            {
                b = c;
                gb = gc;
                if (side == -1)
                {
                    ga *= 0.5;
                }
                side = -1;
            }
            else
            {
                a = c;
                ga = gc;
                if (side == 1)
                {
                    gb *= 0.5;
                }
                side = 1;
            }
        }
        return b;
    }
}
