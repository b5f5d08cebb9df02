namespace Doppel.IntegrationTests;

public sealed class SmokeTests
{
    [Fact]
    public void Server_options_default_to_loopback() => Assert.Contains("127.0.0.1", new Doppel.Server.DoppelServerOptions().Urls);
}
