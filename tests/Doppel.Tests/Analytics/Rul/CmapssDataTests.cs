using Doppel.Analytics.Rul;

namespace Doppel.Tests.Analytics.Rul;

public sealed class CmapssDataTests
{
    private const string Row = "1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190  ";

    [Fact]
    public void The_slice_reads_into_one_trajectory_per_unit_with_Doppel_channel_names()
    {
        var train = CmapssSlice.Train;

        Assert.Equal(40, train.Count);
        Assert.Equal(["1", "2", "3"], train.Take(3).Select(u => u.Unit));
        Assert.Equal(192, train[0].Rows.Length);
        Assert.Equal(7826, train.Sum(u => u.Rows.Length));
        Assert.Equal(CmapssData.Channels, train[0].Channels);
        Assert.Equal(["cycle", "altitude", "mach", "throttle", "t2", "t24"], train[0].Channels.Take(6));
        Assert.Equal("w32", train[0].Channels[^1]);
        // First row of unit 1: cycle 1, setting1 -0.0007, s2 (t24) 641.82, s21 (w32) 23.4190.
        var first = train[0].Rows[0];
        Assert.Equal([1, -0.0007, -0.0004, 100.0], first.Take(4));
        Assert.Equal(641.82, first[CmapssData.Channels.ToList().IndexOf("t24")]);
        Assert.Equal(23.4190, first[^1]);
        Assert.Equal(Enumerable.Range(1, 192).Select(c => (double)c), train[0].Rows.Select(r => r[0]));
        Assert.Equal([112, 98, 69], CmapssSlice.Truth.Take(3));
        Assert.Equal(40, CmapssSlice.Test.Count);
        Assert.Equal(40, CmapssSlice.Truth.Count);
    }

    [Theory]
    [InlineData("1 1 0 0 100\n", "data.txt, line 1, column 6: expected 26 columns (unit, cycle, 3 settings, 21 sensors), found 5")]
    [InlineData(Row + "\n1 2 -0.0007 -0.0004 100.0 518.67 x 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190\n", "data.txt, line 2, column 7: t24 must be a finite number, found 'x'")]
    [InlineData(Row + "\n" + Row + "\n", "data.txt, line 2, column 2: cycle 1 of unit 1 does not follow cycle 1: cycles must increase")]
    [InlineData("a" + Row + "\n", "data.txt, line 1, column 1: the unit must be a positive integer, found 'a1'")]
    [InlineData("1 1.5" + "  -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190\n", "data.txt, line 1, column 2: the cycle must be a positive integer, found '1.5'")]
    [InlineData("\n\n", "data.txt: no rows: a C-MAPSS file has one line per unit and cycle")]
    [InlineData("1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 NaN\n", "data.txt, line 1, column 26: w32 must be a finite number, found 'NaN'")]
    public void A_malformed_file_is_an_error_naming_line_column_and_why(string text, string message)
    {
        var result = CmapssData.Read(new StringReader(text), "data.txt");

        Assert.False(result.IsSuccess);
        Assert.Equal("InvalidArgument", result.Error.Code);
        Assert.Equal(message, result.Error.Message);
    }

    [Fact]
    public void A_unit_that_comes_back_after_another_is_an_error()
    {
        var unit2 = "2" + Row[1..];
        var result = CmapssData.Read(new StringReader(Row + "\n" + unit2 + "\n" + Row.Replace("1 1 ", "1 2 ", StringComparison.Ordinal) + "\n"), "f");

        Assert.Equal("f, line 3, column 1: unit 1 appears again after other units: a unit's rows must be contiguous", result.Error?.Message);
    }

    [Theory]
    [InlineData("112\n-3\n", "rul.txt, line 2, column 1: the true RUL must be a non-negative number, found '-3'")]
    [InlineData("112 4\n", "rul.txt, line 1, column 2: expected one true RUL per line, found 2 values")]
    [InlineData("", "rul.txt: no rows: a RUL file has one true RUL per test unit")]
    public void A_malformed_truth_file_is_an_error_naming_line_column_and_why(string text, string message)
    {
        var result = CmapssData.ReadTruth(new StringReader(text), "rul.txt");

        Assert.Equal(message, result.Error?.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var path = Path.Combine(CmapssSlice.Folder, "train_FD009.txt");

        var result = CmapssData.ReadFile(path);

        Assert.False(result.IsSuccess);
        Assert.StartsWith(path + ": ", result.Error.Message, StringComparison.Ordinal);
    }
}
