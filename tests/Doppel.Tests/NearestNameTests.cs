namespace Doppel.Tests;

public sealed class NearestNameTests
{
    private static readonly string[] StationKeys = ["name", "cycleTime", "timeToFailure", "timeToRepair", "scrapRate", "reworkRate"];

    [Theory]
    [InlineData("timeToFailur", "timeToFailure")]
    [InlineData("cylceTime", "cycleTime")]
    [InlineData("ScrapRate", "scrapRate")]
    [InlineData("nmae", "name")]
    public void A_typo_is_matched_to_the_key_it_was_meant_to_be(string typo, string expected) => Assert.Equal(expected, NearestName.Find(typo, StationKeys));

    [Theory]
    [InlineData("colour")]
    [InlineData("x")]
    [InlineData("timeBetweenSetups")]
    public void A_name_unlike_any_key_gets_no_suggestion(string name) => Assert.Null(NearestName.Find(name, StationKeys));

    [Fact]
    public void The_message_names_the_place_the_key_and_the_suggestion() =>
        Assert.Equal("line.stations[0]: unknown key 'timeToFailur'; did you mean 'timeToFailure'?", NearestName.UnknownKey("line.stations[0]", "timeToFailur", StationKeys));

    [Fact]
    public void Without_a_suggestion_the_message_lists_the_valid_keys() =>
        Assert.Equal("run: unknown key 'colour'; expected one of 'duration', 'seed'.", NearestName.UnknownKey("run", "colour", ["duration", "seed"]));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ab", "ba", 1)]
    [InlineData("ca", "abc", 3)]
    public void Distance_is_optimal_string_alignment(string a, string b, int expected)
    {
        Assert.Equal(expected, NearestName.Distance(a, b));
        Assert.Equal(expected, NearestName.Distance(b, a));
    }
}
