using System.Text;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// The seeded randomness every fuzz input generator shares: input <c>i</c> of seed <c>s</c> gets its own generator, so
/// any input can be made again alone (to replay or minimise it) without making those before it.
/// </summary>
internal static class FuzzRandom
{
    /// <summary>The generator of input <paramref name="index"/> under <paramref name="seed"/>.</summary>
    public static Random For(ulong seed, long index) => new(unchecked((int)SplitMix(seed ^ SplitMix((ulong)index))));

    /// <summary>SplitMix64's output function: spreads the seed and the index over all bits.</summary>
    public static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>How many more times, each with probability <paramref name="p"/>, up to <paramref name="max"/>.</summary>
    public static int Geometric(Random rng, double p, int max)
    {
        var n = 0;
        while (n < max && rng.NextDouble() < p)
        {
            n++;
        }

        return n;
    }

    public static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>Byte-level damage to a text: what truncated downloads and bad editors produce.</summary>
    public static string Damage(string text, Random rng)
    {
        var builder = new StringBuilder(text);
        var edits = 1 + Geometric(rng, 0.5, 6);
        for (var e = 0; e < edits; e++)
        {
            var at = builder.Length == 0 ? 0 : rng.Next(builder.Length);
            switch (rng.Next(7))
            {
                case 0:
                    builder.Length = at;
                    break;
                case 1 when builder.Length > 0:
                    builder.Remove(at, Math.Min(builder.Length - at, rng.Next(1, 20)));
                    break;
                case 2:
                    builder.Insert(at, Pick(rng, ["{", "}", "[", "]", "\"", ",", ":", "\\", "\0", "\uFEFF", "\uD800", "null", "1e", "-", "/*", "\n"]));
                    break;
                case 3 when builder.Length > 0:
                    builder[at] = (char)(builder[at] ^ (1 << rng.Next(7)));
                    break;
                case 4 when builder.Length > 0:
                    {
                        var length = Math.Min(builder.Length - at, rng.Next(1, 200));
                        builder.Insert(rng.Next(builder.Length), builder.ToString(at, length));
                        break;
                    }

                case 5:
                    builder.Insert(0, '\uFEFF');
                    break;
                default:
                    builder.Insert(at, " ");
                    break;
            }
        }

        return builder.ToString();
    }
}
