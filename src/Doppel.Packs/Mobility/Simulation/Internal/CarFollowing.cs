namespace Doppel.Packs.Mobility.Simulation.Internal;

/// <summary>
/// SUMO's car-following arithmetic for the Euler update (MSCFModel, MSCFModel_Krauss and MSCFModel_IDM as in SUMO
/// 1.15): safe speeds behind a leader and before a stop, brake gaps, the speed that reaches a lower limit in time, and
/// Krauss's dawdling. Speeds in m/s, distances in m, dt the step length in s.
/// </summary>
internal static class CarFollowing
{
    /// <summary>SUMO's NUMERICAL_EPS: slack kept before every stop.</summary>
    public const double Eps = 0.001;

    /// <summary>Below this speed a vehicle halts (SUMO_const_haltingSpeed).</summary>
    public const double HaltingSpeed = 0.1;

    /// <summary>Distance to stop from speed v braking by decel each step, plus v times the headway.</summary>
    public static double BrakeGap(double v, double decel, double headway, double dt)
    {
        var reduction = decel * dt;
        var steps = (int)(v / reduction);
        return (dt * ((steps * v) - (reduction * steps * (steps + 1) / 2))) + (v * headway);
    }

    /// <summary>The highest speed from which the vehicle can still stop within gap (maximumSafeStopSpeedEuler).</summary>
    public static double SafeStopSpeed(double gap, double decel, double headway, double dt)
    {
        var g = gap - Eps;
        if (g < 0)
        {
            return 0;
        }
        var b = decel * dt;
        var t = headway;
        var s = dt;
        var n = Math.Floor(.5 - ((t + (Math.Sqrt((s * s) + (4.0 * ((s * ((2.0 * g / b) - t)) + (t * t)))) * -0.5)) / s));
        var h = (0.5 * n * (n - 1) * b * s) + (n * b * t);
        var r = (g - h) / ((n * s) + t);
        return Math.Max(0, (n * b) + r);
    }

    /// <summary>Krauss's safe speed behind a leader (maximumSafeFollowSpeed with its emergency-braking correction).</summary>
    public static double SafeFollowSpeed(double gap, double speed, double leaderSpeed, double leaderDecel, double decel, double emergencyDecel, double tau, double dt)
    {
        double x;
        if (gap >= 0)
        {
            x = SafeStopSpeed(gap + BrakeGap(leaderSpeed, Math.Max(decel, leaderDecel), 0, dt), decel, tau, dt);
        }
        else
        {
            x = speed - (emergencyDecel * dt);
        }
        if (decel != emergencyDecel)
        {
            var origSafeDecel = (speed - x) / dt;
            if (origSafeDecel > decel + Eps)
            {
                var safeDecel = 1.2 * EmergencyDeceleration(gap, speed, leaderSpeed, leaderDecel, emergencyDecel);
                safeDecel = Math.Min(Math.Max(safeDecel, decel), origSafeDecel);
                x = speed - (safeDecel * dt);
            }
        }
        return Math.Max(x, 0);
    }

    private static double EmergencyDeceleration(double gap, double speed, double leaderSpeed, double leaderDecel, double emergencyDecel)
    {
        if (gap <= 0)
        {
            return emergencyDecel;
        }
        var b1 = 0.5 * speed * speed / gap;
        if (b1 <= leaderDecel)
        {
            return b1;
        }
        return leaderSpeed < speed ? 0.5 * ((speed * speed) - (leaderSpeed * leaderSpeed)) / gap : 0;
    }

    /// <summary>The speed now from which the vehicle brakes to target exactly when it has covered dist (freeSpeed).</summary>
    public static double FreeSpeed(double decel, double dist, double target, double dt)
    {
        var v = target * dt;
        if (dist < v)
        {
            return target;
        }
        var b = decel * dt * dt;
        var y = Math.Max(0.0, (((Math.Sqrt(((b + (2.0 * v)) * (b + (2.0 * v))) + (8.0 * b * dist)) - b) * 0.5) - v) / b);
        var yFull = Math.Floor(y);
        var exactGap = ((yFull * yFull) + yFull) * 0.5 * b + (yFull * v) + (y > yFull ? v : 0.0);
        var fullSpeedGain = yFull * decel * dt;
        return (Math.Max(0.0, dist - exactGap) / (yFull + 1) / dt) + fullSpeedGain + target;
    }

    /// <summary>Krauss's dawdling (dawdle2): slower by up to sigma times the acceleration (or the speed when slower than that) in one step.</summary>
    public static double Dawdle(double speed, double sigma, double accel, double random, double dt)
    {
        speed -= speed < accel ? sigma * speed * random * dt : sigma * accel * random * dt;
        return Math.Max(0, speed);
    }

    /// <summary>IDM's speed after one step behind a leader at gap (MSCFModel_IDM::_v with its sub-step iterations).</summary>
    public static double Idm(double gap, double speed, double leaderSpeed, double desired, double accel, double decel, double tau, double minGap, double delta, bool respectMinGap, double dt)
    {
        var iterations = Math.Max(1, (int)((dt / 0.25) + .5));
        var twoSqrtAccelDecel = 2 * Math.Sqrt(accel * decel);
        var v = speed;
        var g = gap;
        for (var i = 0; i < iterations; i++)
        {
            var dv = v - leaderSpeed;
            var s = Math.Max(0, (v * tau) + (v * dv / twoSqrtAccelDecel));
            if (respectMinGap)
            {
                s += minGap;
            }
            var gapNow = Math.Max(Eps, g + (respectMinGap ? minGap : 0));
            var acc = accel * (1 - Math.Pow(v / Math.Max(desired, Eps), delta) - (s * s / (gapNow * gapNow)));
            v += acc * dt / iterations;
            g -= Math.Max(0, (v - leaderSpeed) * dt / iterations);
        }
        return Math.Max(0, v);
    }

    /// <summary>Gap the follower needs behind a leader to be safe (getSecureGap).</summary>
    public static double SecureGap(double speed, double leaderSpeed, double decel, double leaderDecel, double tau, double dt) =>
        Math.Max(0, BrakeGap(speed, decel, tau, dt) - BrakeGap(leaderSpeed, Math.Max(decel, leaderDecel), 0, dt));
}
