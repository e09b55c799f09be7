using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Tests.Hosting;

public sealed class AppRolesTests
{
    [Fact]
    public void All_roles_by_default() => Assert.Equal(new AppRoles(true, true, true), AppRoles.Parse(null));

    [Theory]
    [InlineData("web", true, false, false)]
    [InlineData("worker, jobs", false, true, true)]
    [InlineData("WEB;Worker", true, true, false)]
    public void Roles_are_parsed(string value, bool web, bool worker, bool jobs) =>
        Assert.Equal(new AppRoles(web, worker, jobs), AppRoles.Parse(value));

    [Fact]
    public void Unknown_roles_are_a_configuration_error() =>
        Assert.Contains("sender", Assert.Throws<ConfigurationException>(() => AppRoles.Parse("web,sender")).Message);
}
