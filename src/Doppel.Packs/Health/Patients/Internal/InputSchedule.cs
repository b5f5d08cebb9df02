namespace Doppel.Packs.Health.Patients.Internal;

/// <summary>
/// A patient's insulin and meals on a timeline in minutes: basal rate changes (U/h, in force until the next), boluses
/// (U, delivered within their minute) and announced meals (g, eaten from their minute on, as the virtual patient eats).
/// </summary>
internal sealed class InputSchedule(double defaultBasal)
{
    private readonly List<(double Minute, double Value)> _basal = [];
    private readonly List<(double Minute, double Value)> _boluses = [];
    private readonly List<(double Minute, double Value, string? Name)> _meals = [];

    /// <summary>The basal rate before any is known (U/h): the patient's steady-state infusion.</summary>
    public double DefaultBasal => defaultBasal;

    public void AddBasal(double minute, double unitsPerHour) => Insert(_basal, (minute, unitsPerHour));

    public void AddBolus(double minute, double units) => Insert(_boluses, (minute, units));

    public void AddMeal(double minute, double grams, string? name = null)
    {
        var i = _meals.Count;
        while (i > 0 && _meals[i - 1].Minute > minute)
        {
            i--;
        }
        _meals.Insert(i, (minute, grams, name));
    }

    /// <summary>The basal rate in force during the minute (U/h).</summary>
    public double BasalAt(long minute)
    {
        for (var i = _basal.Count - 1; i >= 0; i--)
        {
            if (Math.Floor(_basal[i].Minute) <= minute)
            {
                return _basal[i].Value;
            }
        }
        return defaultBasal;
    }

    /// <summary>Insulin delivered during the minute (U/min): the basal rate and the boluses given in it.</summary>
    public double InsulinRate(long minute)
    {
        var rate = BasalAt(minute) / 60;
        foreach (var (at, units) in _boluses)
        {
            if ((long)Math.Floor(at) == minute)
            {
                rate += units;
            }
        }
        return rate;
    }

    /// <summary>Carbohydrate announced in the minute (g).</summary>
    public double CarbsAnnounced(long minute)
    {
        double grams = 0;
        foreach (var (at, value, _) in _meals)
        {
            if ((long)Math.Floor(at) == minute)
            {
                grams += value;
            }
        }
        return grams;
    }

    /// <summary>Forgets what lies wholly before the minute (the basal rate in force then is kept).</summary>
    public void Prune(double before)
    {
        var keep = _basal.FindLastIndex(b => Math.Floor(b.Minute) <= Math.Floor(before));
        if (keep > 0)
        {
            _basal.RemoveRange(0, keep);
        }
        _boluses.RemoveAll(b => Math.Floor(b.Minute) < Math.Floor(before));
        _meals.RemoveAll(m => Math.Floor(m.Minute) < Math.Floor(before));
    }

    public InputSchedule Clone()
    {
        var copy = new InputSchedule(defaultBasal);
        copy._basal.AddRange(_basal);
        copy._boluses.AddRange(_boluses);
        copy._meals.AddRange(_meals);
        return copy;
    }

    private static void Insert(List<(double Minute, double Value)> list, (double Minute, double Value) item)
    {
        var i = list.Count;
        while (i > 0 && list[i - 1].Minute > item.Minute)
        {
            i--;
        }
        list.Insert(i, item);
    }
}
