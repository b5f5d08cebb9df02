namespace Doppel.Packs.Mobility.Simulation.Internal;

/// <summary>Every vehicle's state as parallel arrays (struct of arrays), indexed by load order; grown when demand is added.</summary>
internal sealed class Fleet
{
    public Fleet(int capacity) => Resize(capacity);

    public int Count { get; private set; }

    // identity and route
    public string[] Id = [];
    public string[] TypeId = [];
    public int[][] Route = [];
    public double[] DesiredDepart = [];
    public string?[] DepartLane = [];
    public string?[] DepartSpeed = [];
    public string?[] DepartPos = [];

    // type parameters
    public double[] Length = [];
    public double[] MinGap = [];
    public double[] Accel = [];
    public double[] Decel = [];
    public double[] EmergencyDecel = [];
    public double[] Sigma = [];
    public double[] Tau = [];
    public double[] MaxSpeed = [];
    public double[] SpeedFactor = [];
    public bool[] Idm = [];
    public double[] Delta = [];
    public ulong[] Rng = [];

    // state
    public byte[] Status = [];   // 0 pending, 1 running, 2 arrived
    public int[] Lane = [];
    public double[] Pos = [];
    public double[] Speed = [];
    public int[] RouteIndex = [];
    public int[] Slot = [];
    public int[] Prev0 = [];
    public int[] Prev1 = [];
    public int[] Prev2 = [];
    public double[] CheckArrival = [];
    public bool[] CheckIsWait = [];
    public int[] CoopLeader = [];
    public int[] ChangeBlocker = [];
    public double[] ChangeSeconds = [];   // seconds left for a blocked strategic change (LC2013's remainingSeconds)
    public double[] CheckLeave = [];
    public double[] SpeedGainProbability = [];
    public double[] KeepRightProbability = [];

    // plan
    public double[] PlanSpeed = [];
    public int[] CheckLink = [];
    public double[] WaitSpeed = [];
    public bool[] CheckNeedsStop = [];
    public int[] ApproachLink = [];
    public double[] ApproachArrival = [];
    public double[] ApproachLeave = [];
    public int[] ApproachNext = [];
    public double[] NextSpeed = [];

    // statistics
    public double[] Depart = [];
    public string[] DepartLaneId = [];
    public double[] WaitingTime = [];
    public int[] WaitingCount = [];
    public bool[] Waiting = [];
    public double[] StoppedTime = [];
    public double[] TimeLoss = [];
    public double[] Odometer = [];
    public double[] InsertedPos = [];
    public double[] InsertedSpeed = [];
    public int[] RerouteCount = [];

    public int Add()
    {
        if (Count == Id.Length)
        {
            Resize(Math.Max(16, Id.Length * 2));
        }
        return Count++;
    }

    private void Resize(int n)
    {
        Array.Resize(ref Id, n);
        Array.Resize(ref TypeId, n);
        Array.Resize(ref Route, n);
        Array.Resize(ref DesiredDepart, n);
        Array.Resize(ref DepartLane, n);
        Array.Resize(ref DepartSpeed, n);
        Array.Resize(ref DepartPos, n);
        Array.Resize(ref Length, n);
        Array.Resize(ref MinGap, n);
        Array.Resize(ref Accel, n);
        Array.Resize(ref Decel, n);
        Array.Resize(ref EmergencyDecel, n);
        Array.Resize(ref Sigma, n);
        Array.Resize(ref Tau, n);
        Array.Resize(ref MaxSpeed, n);
        Array.Resize(ref SpeedFactor, n);
        Array.Resize(ref Idm, n);
        Array.Resize(ref Delta, n);
        Array.Resize(ref Rng, n);
        Array.Resize(ref Status, n);
        Array.Resize(ref Lane, n);
        Array.Resize(ref Pos, n);
        Array.Resize(ref Speed, n);
        Array.Resize(ref RouteIndex, n);
        Array.Resize(ref Slot, n);
        Array.Resize(ref Prev0, n);
        Array.Resize(ref Prev1, n);
        Array.Resize(ref Prev2, n);
        Array.Resize(ref CheckArrival, n);
        Array.Resize(ref CheckIsWait, n);
        Array.Resize(ref CoopLeader, n);
        Array.Resize(ref ChangeBlocker, n);
        Array.Resize(ref ChangeSeconds, n);
        Array.Resize(ref CheckLeave, n);
        Array.Resize(ref SpeedGainProbability, n);
        Array.Resize(ref KeepRightProbability, n);
        Array.Resize(ref PlanSpeed, n);
        Array.Resize(ref CheckLink, n);
        Array.Resize(ref WaitSpeed, n);
        Array.Resize(ref CheckNeedsStop, n);
        Array.Resize(ref ApproachLink, n);
        Array.Resize(ref ApproachArrival, n);
        Array.Resize(ref ApproachLeave, n);
        Array.Resize(ref ApproachNext, n);
        Array.Resize(ref NextSpeed, n);
        Array.Resize(ref Depart, n);
        Array.Resize(ref DepartLaneId, n);
        Array.Resize(ref WaitingTime, n);
        Array.Resize(ref WaitingCount, n);
        Array.Resize(ref Waiting, n);
        Array.Resize(ref StoppedTime, n);
        Array.Resize(ref TimeLoss, n);
        Array.Resize(ref Odometer, n);
        Array.Resize(ref InsertedPos, n);
        Array.Resize(ref InsertedSpeed, n);
        Array.Resize(ref RerouteCount, n);
    }

    /// <summary>The vehicle's next uniform number in [0, 1) from its own stream (SplitMix64), so draws never depend on other vehicles or threads.</summary>
    public double NextRandom(int i)
    {
        var z = Rng[i] += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
