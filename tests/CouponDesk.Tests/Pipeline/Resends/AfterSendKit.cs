using System.Net;
using System.Text.Json;
using CouponDesk.Security;
using Dapper;

namespace CouponDesk.Tests.Pipeline.Resends;

/// <summary>Shared pieces of the after-send tests: fast settings, signed-in clients, waits and reads.</summary>
public static class AfterSendKit
{
    /// <summary>Resends in seconds instead of minutes; follow-up of failing cancels every second.</summary>
    public static readonly KeyValuePair<string, string?>[] FastSettings =
    [
        new("Resends:FirstDelaySeconds", "1"),
        new("Resends:SecondDelaySeconds", "2"),
        new("Resends:PollSeconds", "1"),
        new("CouponCancels:RetrySeconds", "1"),
        new("CouponCancels:BestEffortGraceSeconds", "0"),
    ];

    public static Task<HttpClient> OperatorAsync(PipelineHarness h) => SignedInAsync(h, Roles.Operator);

    public static Task<HttpClient> ViewerAsync(PipelineHarness h) => SignedInAsync(h, Roles.Viewer);

    public static Task<HttpClient> SignedInAsync(PipelineHarness h, string role) => h.SignInAsync(role);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement;
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, int seconds = 60)
    {
        for (var i = 0; i < seconds * 10; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"condition not met in {seconds} s");
    }

    public static async Task<T> ScalarAsync<T>(PipelineHarness h, string sql, object? args = null)
    {
        await using var c = await h.Database.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    /// <summary>Per item of the campaign: its phone seq, its messages' types in order and the agent's deliveries of each.</summary>
    public static async Task<List<(long Item, int Seq, string Status, string Types, int Delivered)>> LedgerAsync(PipelineHarness h, long campaignId)
    {
        await using var c = await h.Database.OpenAsync();
        return [.. await c.QueryAsync<(long, int, string, string, int)>(
            """
            SELECT d.id, d.seq, d.status, COALESCE(GROUP_CONCAT(m.message_type ORDER BY m.id), ''), CAST(COALESCE(SUM(l.deliver_count), 0) AS SIGNED)
            FROM delivery_items d
            LEFT JOIN messages m ON m.recipient_id = d.id AND m.campaign_id = d.campaign_id AND m.status <> 'WITHDRAWN'
            LEFT JOIN snapstandin_deliveries l ON l.client_key = m.client_key COLLATE utf8mb4_general_ci
            WHERE d.campaign_id = @campaignId GROUP BY d.id, d.seq, d.status ORDER BY d.seq
            """, new { campaignId })];
    }

    public static Task<long> CountAsync(PipelineHarness h, long campaignId, string status) =>
        ScalarAsync<long>(h, "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @campaignId AND status = @status", new { campaignId, status });
}
