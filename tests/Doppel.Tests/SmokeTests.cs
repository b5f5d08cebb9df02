using Doppel.Modeling;

namespace Doppel.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Dtmi_version_is_the_number_after_the_semicolon() => Assert.Equal(3, new Dtmi("dtmi:com:example:Room;3").Version);
}
