using System.Text.RegularExpressions;
using CouponDesk.Features.Messages;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Tests.Integrations.Snap;

public sealed partial class SnapMessageWriterTests(SnapKit kit) : IClassFixture<SnapKit>
{
    [Fact]
    public async Task A_message_is_written_column_by_column_as_the_agent_expects()
    {
        var queued = (await kit.QueueAsync(await kit.MmsAsync(phone: "010-0000-0001", recipientId: 1001))).Single();

        await using var connection = await kit.OpenAsync();
        var row = await connection.QuerySingleAsync(
            "SELECT * FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey });
        Assert.Matches(ClientKeyPattern(), (string)row.CLIENT_KEY);
        Assert.EndsWith(queued.MessageId.ToString("D10", System.Globalization.CultureInfo.InvariantCulture), (string)row.CLIENT_KEY);
        Assert.Equal("MMS", row.REQ_CH);
        Assert.Equal("normal", row.TRAFFIC_TYPE);
        Assert.Equal("ready", row.MSG_STATUS);
        Assert.Equal(SnapKit.Callback, row.CALLBACK_NUMBER);
        Assert.Equal("01000000001", row.PHONE);
        Assert.Equal("[테스트] 모바일 쿠폰 도착", row.TITLE);
        Assert.Contains("\n유효기간", (string)row.MSG);
        Assert.Matches(AgentPathPattern(), (string)row.MMS_FILE_LIST);
        Assert.Null(row.KISA_ORIGCODE);
        Assert.Equal("42", row.CAMPAIGN_ID);
        Assert.Equal(queued.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), row.ETC1);
        Assert.Equal("42", row.ETC2);
        Assert.Equal("1001", row.ETC3);
        Assert.Equal("5001", row.ETC4);
        Assert.Equal("1", row.ETC5);
        Assert.Equal("test", row.ETC6);
        Assert.Null(row.DONE_CODE);

        var ours = await connection.QuerySingleAsync<(string Key, string Status, byte[] Phone, long? Recipient)>(
            "SELECT client_key, status, phone_enc, recipient_id FROM messages WHERE id = @MessageId", new { queued.MessageId });
        Assert.Equal(queued.ClientKey, ours.Key);
        Assert.Equal(MessageStatus.Ready, ours.Status);
        Assert.Equal(1001, ours.Recipient);
        Assert.DoesNotContain("01000000001", System.Text.Encoding.ASCII.GetString(ours.Phone), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_now_uses_the_databases_kst_now()
    {
        var queued = (await kit.QueueAsync(await kit.MmsAsync())).Single();

        var lag = await kit.ScalarAsync<long>(
            "SELECT ABS(TIMESTAMPDIFF(SECOND, REQ_DATE, NOW())) FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey });
        Assert.InRange(lag, 0, 5);
    }

    [Fact]
    public async Task A_reservation_ten_minutes_ahead_is_written_as_kst_wall_clock_and_is_not_due_before_then()
    {
        var atUtc = DateTime.UtcNow.AddMinutes(10);
        var queued = (await kit.QueueAsync(await kit.MmsAsync(reserveAtUtc: atUtc))).Single();

        await using var connection = await kit.OpenAsync();
        var reqDate = await connection.ExecuteScalarAsync<DateTime>(
            "SELECT REQ_DATE FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey });
        var expectedKst = Kst.ToKst(atUtc);
        Assert.InRange((DateTime.SpecifyKind(reqDate, DateTimeKind.Unspecified) - expectedKst).TotalSeconds, 0, 1);

        // The agent's own condition, REQ_DATE < NOW(), evaluated now, in 9 and in 11 minutes of database time.
        var due = await connection.QuerySingleAsync<(int Now, int In9, int In11)>(
            """
            SELECT REQ_DATE < NOW(), REQ_DATE < NOW() + INTERVAL 9 MINUTE, REQ_DATE < NOW() + INTERVAL 11 MINUTE
            FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey
            """, new { queued.ClientKey });
        Assert.Equal((0, 0, 1), due);
    }

    [Fact]
    public async Task A_reservation_is_refused_when_the_database_clock_is_not_kst()
    {
        var message = await kit.MmsAsync(reserveAtUtc: DateTime.UtcNow.AddHours(1));
        await using var connection = await kit.OpenAsync();
        await connection.ExecuteAsync("SET time_zone = '+00:00'");
        await using var transaction = await connection.BeginTransactionAsync();

        await Assert.ThrowsAsync<AgentClockMismatchException>(() =>
            kit.Get<SnapMessageWriter>().QueueAsync(connection, transaction, [message], CancellationToken.None));
    }

    [Fact]
    public async Task The_writer_rolls_back_with_its_callers_transaction_and_never_reuses_a_key()
    {
        var message = await kit.MmsAsync(recipientId: 777_001);
        IReadOnlyList<QueuedMms> rolledBack;
        await using (var connection = await kit.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            rolledBack = await kit.Get<SnapMessageWriter>().QueueAsync(connection, transaction, [message], CancellationToken.None);
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { rolledBack[0].ClientKey }, transaction));
            await transaction.RollbackAsync();
        }

        Assert.Equal(0, await kit.ScalarAsync<int>("SELECT COUNT(*) FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { rolledBack[0].ClientKey }));
        Assert.Equal(0, await kit.ScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE recipient_id = 777001"));

        var again = (await kit.QueueAsync(message)).Single();
        Assert.NotEqual(rolledBack[0].ClientKey, again.ClientKey);
        Assert.True(again.MessageId > rolledBack[0].MessageId);
    }

    [Fact]
    public async Task A_large_batch_is_written_in_statements_of_at_most_a_thousand_rows_with_unique_keys()
    {
        var image = await kit.StageAsync();
        var messages = Enumerable.Range(0, 2500).Select(i => new OutgoingMms
        {
            Phone = $"0100{i % 1000:D3}{i % 10000:D4}",
            CallbackNumber = SnapKit.Callback,
            Title = "대량",
            Body = "대량 발송 테스트",
            ImagePaths = [image],
            CampaignId = 9_000_001,
            RecipientId = i + 1,
        }).ToArray();

        var queued = await kit.QueueAsync(messages);

        Assert.Equal(2500, queued.Select(q => q.ClientKey).Distinct().Count());
        Assert.Equal(2500, await kit.ScalarAsync<int>("SELECT COUNT(*) FROM UMS_MSG WHERE ETC2 = '9000001'"));
        Assert.Equal(2500, await kit.ScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE campaign_id = 9000001"));
    }

    [GeneratedRegex("^CDT[0-9]{6}[0-9]{10}$")]
    private static partial Regex ClientKeyPattern();

    [GeneratedRegex("^/agent-view/images/[0-9]{8}/[0-9a-f]{32}\\.jpg$")]
    private static partial Regex AgentPathPattern();
}
