using CouponDesk.Features.Messages;

namespace CouponDesk.Tests.Integrations.Snap;

public sealed class SnapMessageCancellerTests(SnapKit kit) : IClassFixture<SnapKit>
{
    [Fact]
    public async Task A_reserved_message_still_ready_is_withdrawn_on_both_sides()
    {
        var queued = (await kit.QueueAsync(await kit.MmsAsync(reserveAtUtc: DateTime.UtcNow.AddHours(2)))).Single();

        var outcome = await WithdrawAsync(queued.MessageId);

        Assert.Equal(WithdrawResult.Withdrawn, outcome.Result);
        Assert.Equal(0, await kit.ScalarAsync<int>("SELECT COUNT(*) FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey }));
        Assert.Equal(MessageStatus.Withdrawn, await kit.ScalarAsync<string>("SELECT status FROM messages WHERE id = @MessageId", new { queued.MessageId }));
        Assert.Equal(WithdrawResult.AlreadyWithdrawn, (await WithdrawAsync(queued.MessageId)).Result);
    }

    [Theory]
    [InlineData("pre-image")]
    [InlineData("pre-send")]
    [InlineData("request")]
    [InlineData("complete")]
    public async Task A_message_the_agent_has_taken_is_too_late_and_nothing_changes(string agentStatus)
    {
        var queued = (await kit.QueueAsync(await kit.MmsAsync(reserveAtUtc: DateTime.UtcNow.AddHours(2)))).Single();
        await kit.ExecuteAsync("UPDATE UMS_MSG SET MSG_STATUS = @agentStatus WHERE CLIENT_KEY = @ClientKey", new { agentStatus, queued.ClientKey });

        var outcome = await WithdrawAsync(queued.MessageId);

        Assert.Equal(WithdrawResult.TooLate, outcome.Result);
        Assert.False(outcome.IsWithdrawn);
        Assert.Equal(agentStatus, await kit.ScalarAsync<string>("SELECT MSG_STATUS FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey }));
        Assert.Equal(MessageStatus.Ready, await kit.ScalarAsync<string>("SELECT status FROM messages WHERE id = @MessageId", new { queued.MessageId }));
    }

    [Fact]
    public async Task A_message_already_moved_to_the_log_is_too_late()
    {
        var queued = (await kit.QueueAsync(await kit.MmsAsync())).Single();
        await kit.ExecuteAsync("DELETE FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey });

        Assert.Equal(WithdrawResult.TooLate, (await WithdrawAsync(queued.MessageId)).Result);
    }

    [Fact]
    public async Task A_message_due_now_is_withdrawn_only_best_effort()
    {
        var queued = (await kit.QueueAsync(await kit.MmsAsync())).Single();

        var outcome = await WithdrawAsync(queued.MessageId);

        Assert.Equal(WithdrawResult.WithdrawnBestEffort, outcome.Result);
        Assert.Contains("이미 발송되었을 수", outcome.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_withdrawal_rolls_back_with_its_callers_transaction()
    {
        var queued = (await kit.QueueAsync(await kit.MmsAsync(reserveAtUtc: DateTime.UtcNow.AddHours(2)))).Single();
        await using (var connection = await kit.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var outcomes = await kit.Get<SnapMessageCanceller>().WithdrawAsync(connection, transaction, [queued.MessageId], CancellationToken.None);
            Assert.Equal(WithdrawResult.Withdrawn, outcomes.Single().Result);
            await transaction.RollbackAsync();
        }

        Assert.Equal("ready", await kit.ScalarAsync<string>("SELECT MSG_STATUS FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey }));
        Assert.Equal(MessageStatus.Ready, await kit.ScalarAsync<string>("SELECT status FROM messages WHERE id = @MessageId", new { queued.MessageId }));
    }

    [Fact]
    public async Task An_unknown_message_is_not_found() =>
        Assert.Equal(WithdrawResult.NotFound, (await WithdrawAsync(987_654_321)).Result);

    private async Task<WithdrawOutcome> WithdrawAsync(long messageId)
    {
        await using var connection = await kit.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var outcome = (await kit.Get<SnapMessageCanceller>().WithdrawAsync(connection, transaction, [messageId], CancellationToken.None)).Single();
        await transaction.CommitAsync();
        return outcome;
    }
}
