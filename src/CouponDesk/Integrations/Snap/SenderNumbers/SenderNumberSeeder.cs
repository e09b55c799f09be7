using CouponDesk.Data;
using Dapper;

namespace CouponDesk.Integrations.Snap.SenderNumbers;

/// <summary>
/// Development set-up: registers <c>Snap:CallbackNumber</c> as an active sender number at start when
/// <c>Snap:SeedCallbackNumber</c> is on, so a fresh <c>scripts/up</c> can send at once. Runs after the migrations
/// (hosted services start in registration order). Its description is what the 발신자 번호 list shows next to the number.
/// </summary>
public sealed class SenderNumberSeeder(SnapOptions options, DbConnectionFactory connections, SenderNumberRegistry registry) : IHostedService
{
    public const string Label = "기본 발신번호";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.SeedCallbackNumber || options.CallbackNumber.Length == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await registry.EnsureRegisteredAsync(connection, options.CallbackNumber, Label, cancellationToken);
        // Earlier starts seeded "기본 발신번호 (설정)", which the form showed as "16000000 (기본 발신번호 (설정))" (issue 14).
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sender_numbers SET label = @Label WHERE number = @number AND label = '기본 발신번호 (설정)'",
            new { Label, number = options.CallbackNumber }, cancellationToken: cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
