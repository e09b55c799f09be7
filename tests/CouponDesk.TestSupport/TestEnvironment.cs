namespace CouponDesk.TestSupport;

/// <summary>
/// Where the test MariaDB and Redis are. <c>scripts/test</c> starts private instances and exports these variables;
/// the defaults match its instance so a test run from an IDE works once <c>scripts/mariadb start --name test-mariadb
/// --port 3317</c> has run.
/// </summary>
public static class TestEnvironment
{
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("COUPONDESK_TEST_DB")
        ?? "Server=127.0.0.1;Port=3317;User ID=coupondesk;Password=dev-only-coupondesk";

    /// <summary>StackExchange.Redis configuration of the test Redis, or null when the run has none.</summary>
    public static string? RedisConfiguration => Environment.GetEnvironmentVariable("COUPONDESK_TEST_REDIS") is { Length: > 0 } value ? value : null;
}
