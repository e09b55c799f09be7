namespace CouponDesk.TestSupport;

/// <summary>
/// The one baseline configuration of a back office under test (in-process or on a socket). Hosts add their own keys
/// after it; later keys win. Keeping it in one place means a feature that adds a required setting fixes every host.
/// </summary>
public static class TestSettings
{
    public static IEnumerable<KeyValuePair<string, string?>> BackOffice(TestDatabase database, string scratchDirectory) =>
    [
        new("Database:ConnectionString", database.ConnectionString),
        new("Database:MigrateOnStart", "true"),
        new("CouponDesk:Roles", "web"),
        new("Security:PasswordHashing:WorkFactor", "4"),
        // Every in-process request comes from the same (unknown) address: the per-address login throttle would
        // otherwise count the whole class's failed logins together. AddressThrottleTests sets a low limit itself.
        new("Security:Login:AddressFailureLimit", "10000"),
        new("Serilog:MinimumLevel:Default", "Warning"),
        new("Snap:ImageDirectory", Path.Combine(scratchDirectory, "mms")),
        .. TestKeys.PiiSettings,
        // Nothing listens on the discard port: a test that needs COUFUN starts the stand-in and overrides these.
        new("Coufun:BaseUrl", "http://127.0.0.1:9/b2c_api/"),
        new("Coufun:PocId", "TESTPOC01"),
        new("Catalog:ImageDirectory", Path.Combine(scratchDirectory, "products")),
        new("Exports:Directory", Path.Combine(scratchDirectory, "exports")),
        // A loaded test machine can hold a process's beat back for seconds; only the liveness tests want the short
        // production times (D-OPS-11), every other host must never be declared dead by a slow beat.
        new("Liveness:SelfFenceSeconds", "8"),
        new("Liveness:DeadAfterSeconds", "30"),
        // Tests change data between two dashboard reads; production reuses the 교환률 panel for a minute.
        new("ExchangeRate:CacheSeconds", "0"),
        new("Dashboard:CacheSeconds", "0"),
    ];

    public static string NewScratchDirectory() => Path.Combine(Path.GetTempPath(), "cd-test-" + Guid.NewGuid().ToString("N")[..10]);
}
