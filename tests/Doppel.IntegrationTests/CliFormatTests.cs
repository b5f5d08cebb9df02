using System.Text.RegularExpressions;
using Doppel.Cli;
using Doppel.Cli.Input;
using Doppel.Cli.Output;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>The CLI's rules for numbers, counts, times and table widths, and the exit codes its documentation lists.</summary>
public sealed partial class CliFormatTests
{
    [Theory]
    [InlineData(29.106899999999996, "29.1069")]
    [InlineData(1450.0, "1450")]
    [InlineData(0.1 + 0.2, "0.3")]
    [InlineData(0.000123456789, "0.000123457")]
    [InlineData(0.00001234, "1.234e-05")]
    [InlineData(1234567.891, "1234568")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(-0.0, "0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(123456789012.7, "123456789013")]
    public void Numbers_with_a_fraction_print_with_six_significant_digits(double value, string expected) =>
        Assert.Equal(expected, CellText.Number(value));

    [Theory]
    [InlineData(0, "0 rows")]
    [InlineData(1, "1 row")]
    [InlineData(2, "2 rows")]
    [InlineData(12345, "12,345 rows")]
    public void Counts_agree_with_their_noun(long count, string expected) => Assert.Equal(expected, CellText.Count(count, "row"));

    [Theory]
    [InlineData("now", "2024-05-01T12:00:00Z")]
    [InlineData("-1h", "2024-05-01T11:00:00Z")]
    [InlineData("-15m", "2024-05-01T11:45:00Z")]
    [InlineData("now-2d", "2024-04-29T12:00:00Z")]
    [InlineData("now+90s", "2024-05-01T12:01:30Z")]
    [InlineData("-1h30m", "2024-05-01T10:30:00Z")]
    [InlineData("-1w", "2024-04-24T12:00:00Z")]
    [InlineData("2024-03-01T08:00:00Z", "2024-03-01T08:00:00Z")]
    [InlineData("2024-03-01t08:00:00.5+02:00", "2024-03-01T06:00:00.5Z")]
    [InlineData("2024-03-01", "2024-03-01T00:00:00Z")]
    public void Times_are_absolute_or_relative_to_now(string text, string expected)
    {
        var now = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var parsed = TimeInput.Parse(text, now);
        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed.Value);
    }

    [Theory]
    [InlineData("yesterday", "'yesterday' is not a time; use RFC 3339")]
    [InlineData("-1y", "'-1y' is not a time; use RFC 3339")]
    [InlineData("2024-03-01T08:00:00", "needs Z or an offset")]
    [InlineData("2024-13-01", "'2024-13-01' is not a time")]
    [InlineData("-99999999d", "too large")]
    public void A_time_that_is_none_says_which_forms_are(string text, string expected)
    {
        var parsed = TimeInput.Parse(text, DateTimeOffset.UnixEpoch);
        Assert.False(parsed.IsSuccess);
        Assert.Contains(expected, parsed.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_wider_than_the_terminal_narrows_its_widest_column_first()
    {
        string[] header = ["id", "speed", "note"];
        string[][] rows = [["pump-1", "29.1069", new string('n', 100)], ["pump-2", "1450", "short"]];
        Assert.Null(Table.Fit(header, rows, 200));
        Assert.Equal([6, 7, 40 - 6 - 7 - 4 - 1], Table.Fit(header, rows, 40)!);
        Assert.Null(Table.Fit(header, rows, 10)); // too narrow for anything: printed whole
    }

    [Fact]
    public void The_documentation_lists_every_exit_code()
    {
        var documented = ExitCodeRow().Matches(File.ReadAllText(Path.Combine(Repository.Root, "docs", "cli.md"))).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var codes = typeof(ExitCodes).GetFields().Select(f => (int)f.GetValue(null)!).ToList();
        Assert.All(codes, code => Assert.Contains(code, documented));
        Assert.Equal(codes.Count, documented.Count);
    }

    [GeneratedRegex(@"^\| `(\d+)` \|", RegexOptions.Multiline)]
    private static partial Regex ExitCodeRow();
}
