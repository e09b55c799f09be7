using System.Globalization;
using System.Text;
using CouponDesk.Integrations.Snap;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Time;
using MySqlConnector;

namespace CouponDesk.Features.Messages;

/// <summary>
/// Hands MMS to the agent: inserts our <c>messages</c> rows and the agent's <c>UMS_MSG</c> rows with multi-row INSERTs
/// (≤ 1,000 rows per statement) <b>inside the caller's transaction</b>, so the pipeline marks recipients queued and
/// hands their messages over atomically (spec/snap-agent.md §14.1). Refuses the whole batch, writing nothing, when any
/// message would fail at the gateway (<see cref="MmsValidationException"/>) or when a reservation would be written in
/// the wrong clock (<see cref="AgentClockMismatchException"/>). We only ever INSERT into the agent's table here.
/// </summary>
public sealed class SnapMessageWriter(
    SnapOptions options,
    MmsValidator validator,
    SnapImageStager stager,
    MessageIdAllocator ids,
    PiiProtector pii,
    TimeProvider time)
{
    public const int BatchSize = 1000;

    private const string UmsColumns =
        "CLIENT_KEY, REQ_CH, TRAFFIC_TYPE, MSG_STATUS, REQ_DATE, CALLBACK_NUMBER, KISA_ORIGCODE, CAMPAIGN_ID, PHONE, " +
        "MSG, TITLE, MMS_FILE_LIST, ETC1, ETC2, ETC3, ETC4, ETC5, ETC6";

    private const string MessageColumns =
        "id, client_key, campaign_id, recipient_id, coupon_id, attempt_no, message_type, phone_enc, callback_number, " +
        "req_at, reserved, status, image_files, created_at, updated_at";

    public async Task<IReadOnlyList<QueuedMms>> QueueAsync(
        MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<OutgoingMms> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (messages.Count == 0)
        {
            return [];
        }

        var problems = (await validator.ValidateAsync(connection, transaction, messages, cancellationToken))
            .Concat(messages.Select((m, i) => (m, i)).Where(x => !MessageType.All.Contains(TypeOf(x.m)))
                .Select(x => new MmsProblem(x.i, "messageType", MmsProblemCodes.TypeInvalid, "알 수 없는 발송 유형입니다.")))
            .ToList();
        if (problems.Count > 0)
        {
            throw new MmsValidationException(problems);
        }

        if (messages.Any(m => m.ReserveAtUtc is not null))
        {
            await EnsureAgentClockAsync(connection, transaction, cancellationToken);
        }

        var queued = new List<QueuedMms>(messages.Count);
        foreach (var chunk in messages.Chunk(BatchSize))
        {
            queued.AddRange(await QueueChunkAsync(connection, transaction, chunk, cancellationToken));
        }

        return queued;
    }

    private async Task EnsureAgentClockAsync(MySqlConnection connection, MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand("SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW())", connection, transaction);
        var offset = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        if (offset != options.AgentUtcOffsetMinutes)
        {
            throw new AgentClockMismatchException(options.AgentUtcOffsetMinutes, offset);
        }
    }

    private async Task<IEnumerable<QueuedMms>> QueueChunkAsync(
        MySqlConnection connection, MySqlTransaction transaction, OutgoingMms[] chunk, CancellationToken cancellationToken)
    {
        var firstId = await ids.AllocateAsync(chunk.Length, cancellationToken);
        var nowUtc = time.GetUtcNow().UtcDateTime;
        var todayKst = Kst.ToKst(nowUtc);
        var letter = options.EnvironmentLetter[0];

        var umsSql = new StringBuilder($"INSERT INTO {UmsTableDdl.Quote(options.SendTable)} ({UmsColumns}) VALUES ");
        var messageSql = new StringBuilder($"INSERT INTO messages ({MessageColumns}) VALUES ");
        await using var ums = new MySqlCommand { Connection = connection, Transaction = transaction };
        await using var ours = new MySqlCommand { Connection = connection, Transaction = transaction };
        ours.Parameters.AddWithValue("@now", nowUtc);
        ums.Parameters.AddWithValue("@ch", "MMS");
        ums.Parameters.AddWithValue("@traffic", options.TrafficType);
        ums.Parameters.AddWithValue("@ready", "ready");
        ums.Parameters.AddWithValue("@env", options.EnvironmentTag);

        var queued = new QueuedMms[chunk.Length];
        for (var i = 0; i < chunk.Length; i++)
        {
            var message = chunk[i];
            var id = firstId + i;
            var key = ClientKeys.For(letter, todayKst, id);
            queued[i] = new QueuedMms(id, key);
            var phone = SenderNumberRegistry.Normalize(message.Phone);
            var callback = SenderNumberRegistry.Normalize(message.CallbackNumber);
            var reserveKst = message.ReserveAtUtc is { } at ? ToWholeSecondKst(at) : (DateTime?)null;

            // REQ_DATE: NOW() in SQL for "send now" (the agent's own frame); a reservation as KST wall-clock time with
            // Kind=Unspecified, which MySqlConnector writes exactly as given (spec/snap-agent.md §5, docs/decisions.md D-PLAT-1).
            umsSql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $"(@k{i},@ch,@traffic,@ready,{(reserveKst is null ? "NOW()" : $"@r{i}")},@cb{i},NULL,@cp{i},@p{i},@m{i},@t{i},@f{i},@e1{i},@e2{i},@e3{i},@e4{i},@e5{i},@env)");
            ums.Parameters.AddWithValue($"@k{i}", key);
            if (reserveKst is not null)
            {
                ums.Parameters.AddWithValue($"@r{i}", reserveKst.Value);
            }

            ums.Parameters.AddWithValue($"@cb{i}", callback);
            ums.Parameters.AddWithValue($"@cp{i}", message.CampaignId?.ToString(CultureInfo.InvariantCulture));
            ums.Parameters.AddWithValue($"@p{i}", phone);
            ums.Parameters.AddWithValue($"@m{i}", message.Body);
            ums.Parameters.AddWithValue($"@t{i}", message.Title);
            ums.Parameters.AddWithValue($"@f{i}", string.Join(',', message.ImagePaths.Select(stager.ToAgentPath)));
            ums.Parameters.AddWithValue($"@e1{i}", id.ToString(CultureInfo.InvariantCulture));
            ums.Parameters.AddWithValue($"@e2{i}", message.CampaignId?.ToString(CultureInfo.InvariantCulture));
            ums.Parameters.AddWithValue($"@e3{i}", message.RecipientId?.ToString(CultureInfo.InvariantCulture));
            ums.Parameters.AddWithValue($"@e4{i}", message.CouponId?.ToString(CultureInfo.InvariantCulture));
            ums.Parameters.AddWithValue($"@e5{i}", message.AttemptNo.ToString(CultureInfo.InvariantCulture));

            messageSql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $"(@id{i},@k{i},@cp{i},@rc{i},@cu{i},@a{i},@ty{i},@ph{i},@cb{i},@at{i},@rs{i},'{MessageStatus.Ready}',@img{i},@now,@now)");
            ours.Parameters.AddWithValue($"@id{i}", id);
            ours.Parameters.AddWithValue($"@k{i}", key);
            ours.Parameters.AddWithValue($"@cp{i}", message.CampaignId);
            ours.Parameters.AddWithValue($"@rc{i}", message.RecipientId);
            ours.Parameters.AddWithValue($"@cu{i}", message.CouponId);
            ours.Parameters.AddWithValue($"@a{i}", message.AttemptNo);
            ours.Parameters.AddWithValue($"@ty{i}", TypeOf(message));
            ours.Parameters.AddWithValue($"@ph{i}", pii.Encrypt(phone, MessagesSetup.PhoneColumn.PlaceOf(id)));
            ours.Parameters.AddWithValue($"@cb{i}", callback);
            ours.Parameters.AddWithValue($"@at{i}", reserveKst is null ? nowUtc : Kst.ToUtc(reserveKst.Value));
            ours.Parameters.AddWithValue($"@rs{i}", reserveKst is not null);
            ours.Parameters.AddWithValue($"@img{i}", string.Join(',', message.ImagePaths.Select(Path.GetFullPath)));
        }

        ours.CommandText = messageSql.ToString();
        ums.CommandText = umsSql.ToString();
        await ours.ExecuteNonQueryAsync(cancellationToken);
        await ums.ExecuteNonQueryAsync(cancellationToken);
        return queued;
    }

    /// <summary>KST wall-clock time rounded up to the whole second (REQ_DATE has no fractions; never earlier than asked).</summary>
    private static DateTime ToWholeSecondKst(DateTime utc)
    {
        var kst = Kst.ToKst(utc);
        var remainder = kst.Ticks % TimeSpan.TicksPerSecond;
        return remainder == 0 ? kst : kst.AddTicks(TimeSpan.TicksPerSecond - remainder);
    }

    private static string TypeOf(OutgoingMms message) => message.MessageType ?? MessageType.Initial;
}
