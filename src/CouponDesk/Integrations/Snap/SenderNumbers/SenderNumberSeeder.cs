using CouponDesk.Data;

namespace CouponDesk.Integrations.Snap.SenderNumbers;

/// <summary>
/// Development set-up: registers <c>Snap:CallbackNumber</c> as an active sender number at start when
/// <c>Snap:SeedCallbackNumber</c> is on, so a fresh <c>scripts/up</c> can send at once. Runs after the migrations
/// (hosted services start in registration order).
/// </summary>
public sealed class SenderNumberSeeder(SnapOptions options, DbConnectionFactory connections, SenderNumberRegistry registry) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.SeedCallbackNumber || options.CallbackNumber.Length == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await registry.EnsureRegisteredAsync(connection, options.CallbackNumber, "기본 발신번호 (설정)", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
