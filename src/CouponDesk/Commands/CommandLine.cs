using CouponDesk.Data;
using CouponDesk.Features.Users;

namespace CouponDesk.Commands;

/// <summary>
/// Maintenance commands of the executable (<c>CouponDesk migrate</c>, <c>CouponDesk create-admin</c>). They use the
/// same configuration and services as the server but start no hosted service.
/// </summary>
public static class CommandLine
{
    public static readonly IReadOnlyDictionary<string, string> Commands = new Dictionary<string, string>
    {
        ["migrate"] = "bring the database to the latest schema",
        ["create-admin"] = "create the first ADMIN with a one-time password (--login ID, default 'admin'); no-op when one exists",
        ["unlock-user"] = "unlock a locked account when no ADMIN can log in (--login ID); audited",
        ["rotate-keys"] = "record the configured active PII key version, re-encrypt every value with it (resumable) and retire the old versions",
        ["verify-audit"] = "verify the audit trail's hash chain and report the first broken row",
    };

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.ContainsKey(args[0]);

    public static async Task<int> RunAsync(string[] args, IServiceProvider services)
    {
        switch (args[0])
        {
            case "migrate":
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
                Console.WriteLine($"Database at version {DatabaseMigrator.LatestVersion}.");
                return 0;
            case "create-admin":
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
                var login = OptionValue(args, "--login") ?? "admin";
                var outcome = await services.GetRequiredService<AdminBootstrap>().EnsureFirstAdminAsync(login);
                Console.WriteLine(outcome.Created
                    ? $"Created ADMIN '{outcome.LoginId}'. One-time password (shown once, change it at first login): {outcome.OneTimePassword}"
                    : $"An ADMIN already exists ('{outcome.LoginId}'); nothing created.");
                return 0;
            case "unlock-user":
            case "rotate-keys":
            case "verify-audit":
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
                return await SecurityCommands.RunAsync(args[0], OptionValue(args, "--login"), services);
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{args[0]}'.");
                return 64;
        }
    }

    private static string? OptionValue(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
