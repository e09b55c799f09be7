using CouponDesk.Features.Audit;
using CouponDesk.Features.Privacy;
using CouponDesk.Features.Users;

namespace CouponDesk.Commands;

/// <summary>Maintenance commands of the accounts and audit feature. Each is itself audited (actor <c>maintenance</c>).</summary>
public static class SecurityCommands
{
    private static readonly AuditActor Maintenance = new(null, "maintenance", "localhost", "CouponDesk command line", null);

    public static async Task<int> RunAsync(string command, string? login, IServiceProvider services)
    {
        switch (command)
        {
            case "unlock-user":
                if (string.IsNullOrEmpty(login))
                {
                    await Console.Error.WriteLineAsync("unlock-user needs --login ID.");
                    return 64;
                }

                var users = services.GetRequiredService<UserAccounts>();
                if (await users.FindIdAsync(login, CancellationToken.None) is not { } id)
                {
                    await Console.Error.WriteLineAsync($"No account '{login}'.");
                    return 1;
                }

                var problem = await users.UnlockAsync(id, Maintenance, CancellationToken.None);
                Console.WriteLine(problem is null ? $"Account '{login}' unlocked." : $"Nothing done: {problem.Code}.");
                return problem is null ? 0 : 1;
            case "rotate-keys":
                var report = await services.GetRequiredService<KeyRotationService>().RotateAsync();
                Console.WriteLine($"All values now under key version {report.TargetVersion}: {report.RowsReencrypted} re-encrypted, {report.RetiredVersions} old version(s) retired.");
                return 0;
            default:
                var result = await services.GetRequiredService<AuditVerifier>().VerifyAsync();
                Console.WriteLine(result.Message);
                return result.Intact ? 0 : 1;
        }
    }
}
