using System.Net;
using Aurous.Client.Http;

namespace Aurous.Client.Tests;

public class TransportTests
{
    private static readonly Uri Api = new("https://api.aurous-labs.com/");

    [Fact]
    public void Equal_proxies_share_a_named_client_and_different_ones_do_not()
    {
        var a = AurousHttp.ClientName(Api, new WebProxy("http://proxy.corp:8080") { Credentials = new NetworkCredential("svc", "hunter2") });
        var b = AurousHttp.ClientName(Api, new WebProxy("http://proxy.corp:8080") { Credentials = new NetworkCredential("svc", "hunter2") });
        var otherPassword = AurousHttp.ClientName(Api, new WebProxy("http://proxy.corp:8080") { Credentials = new NetworkCredential("svc", "hunter3") });
        var otherProxy = AurousHttp.ClientName(Api, new WebProxy("http://proxy2.corp:8080"));
        var system = AurousHttp.ClientName(Api, null);
        var otherHost = AurousHttp.ClientName(new Uri("https://eu.aurous-labs.com/"), null);

        Assert.Equal(a, b);
        Assert.Equal(5, new[] { a, otherPassword, otherProxy, system, otherHost }.Distinct().Count());
        Assert.DoesNotContain("hunter2", a);
    }
}
