using CouponDesk.Data;
using CouponDesk.Features.Privacy;
using Dapper;

namespace CouponDesk.Features.Users;

/// <summary>
/// Erases the name, e-mail and mobile of accounts deactivated longer than the retention period (spec §7.5: 1 year);
/// the login id stays so the audit trail keeps its subject.
/// </summary>
public sealed class StaffPersonalDataPurge(DbConnectionFactory connections, PrivacyOptions options) : IPiiPurgeStep
{
    public string Name => "users.personal_fields";

    public async Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        context.Count(await connection.ExecuteAsync(
            """
            UPDATE users SET name_enc = NULL, email_enc = NULL, mobile_enc = NULL, updated_at = @now
            WHERE status = 'INACTIVE' AND deactivated_at < @cutoff
              AND (name_enc IS NOT NULL OR email_enc IS NOT NULL OR mobile_enc IS NOT NULL)
            """,
            new { now = context.NowUtc, cutoff = context.NowUtc.AddDays(-options.StaffRetentionDaysAfterDeactivation) }));
    }
}
