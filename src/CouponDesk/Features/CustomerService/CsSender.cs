using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline.Resends;
using CouponDesk.Integrations.Snap;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.CustomerService;

/// <summary>One C/S message for one item: its phone, the kind (CS_RESEND / AFTER_PHONE_CHANGE) and when the agent may send it.</summary>
public sealed record CsMessage(long ItemId, long CampaignId, long CouponId, string Phone, string MessageType, DateTime? ReserveAtUtc = null);

/// <summary>
/// Sends the same coupon again as a NEW message (spec §4.5: new CLIENT_KEY, next attempt number, its kind as message
/// type): the image is a copy of an earlier message's staged file — the same picture, the same barcode — or, when that
/// was purged, drawn again from the campaign's parts (<see cref="ResendImages"/>, shared with the pipeline's resends).
/// The <c>messages</c> and <c>UMS_MSG</c> rows go in through <see cref="SnapMessageWriter"/> in the caller's transaction,
/// so the item's change and its message commit together. A staged file of a rolled-back transaction is removed.
/// </summary>
public sealed class CsSender(ResendImages images, SnapImageStager stager, SnapMessageWriter writer, CouponRepository coupons)
{
    private sealed record Texts(string? SenderNumber, string? MmsTitle, string? MmsBody);

    /// <summary>Stages the coupon's picture: a copy of <paramref name="previousMessageId"/>'s file when it still exists, else drawn again.</summary>
    public async Task<string> StageImageAsync(MySqlConnection c, MySqlTransaction? tx, long campaignId, long couponId, long? previousMessageId, CancellationToken ct)
    {
        if (previousMessageId is { } id)
        {
            var previous = await c.QuerySingleOrDefaultAsync<(string? Files, bool Purged)>(new CommandDefinition(
                "SELECT image_files, images_purged_at IS NOT NULL FROM messages WHERE id = @id", new { id }, tx, cancellationToken: ct));
            if (await images.CopyAsync(previous.Files, previous.Purged, ct) is { } copy)
            {
                return copy;
            }
        }

        var coupon = await coupons.FindByIdAsync(couponId, ct) ?? throw new InvalidOperationException("the item's coupon row is missing");
        var number = await coupons.RevealNumberAsync(couponId, ct) ?? throw new InvalidOperationException("the item's coupon number is missing");
        return await images.RedrawAsync(campaignId, number, coupon.StampDuty, coupon.ValidUntil.ToDateTime(TimeOnly.MinValue), ct);
    }

    /// <summary>Queues <paramref name="message"/> with the staged image in the caller's transaction; returns the new message.</summary>
    public async Task<QueuedMms> QueueAsync(MySqlConnection c, MySqlTransaction tx, CsMessage message, string stagedImage, CancellationToken ct)
    {
        var texts = await c.QuerySingleAsync<Texts>(new CommandDefinition(
            "SELECT sender_number AS SenderNumber, mms_title AS MmsTitle, mms_body AS MmsBody FROM campaigns WHERE id = @id",
            new { id = message.CampaignId }, tx, cancellationToken: ct));
        var attempt = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(attempt_no), 0) + 1 FROM messages WHERE recipient_id = @item", new { item = message.ItemId }, tx, cancellationToken: ct));
        var queued = await writer.QueueAsync(c, tx,
        [
            new OutgoingMms
            {
                Phone = message.Phone,
                CallbackNumber = texts.SenderNumber ?? "",
                Title = texts.MmsTitle ?? "",
                Body = texts.MmsBody ?? "",
                ImagePaths = [stagedImage],
                ReserveAtUtc = message.ReserveAtUtc,
                CampaignId = message.CampaignId,
                RecipientId = message.ItemId,
                CouponId = message.CouponId,
                AttemptNo = attempt,
                MessageType = message.MessageType,
            },
        ], ct);
        return queued[0];
    }

    /// <summary>Removes a staged file whose message was never committed.</summary>
    public void Discard(string? stagedImage)
    {
        if (stagedImage is not null)
        {
            stager.Delete([stagedImage]);
        }
    }

    /// <summary>
    /// Runs an action that stages an image (it records the file in the holder it gets): when the action does not succeed
    /// — a refusal, an exception, or the gateway's limits refusing the message (422 with the codes, after <paramref name="refused"/>)
    /// — its transaction rolls back and the staged file is removed with it.
    /// </summary>
    public async Task<CsResult> GuardAsync(Func<StagedImage, Task<CsResult>> action, string refused)
    {
        var staged = new StagedImage();
        try
        {
            var result = await action(staged);
            if (result.Problem is not null)
            {
                Discard(staged.Path);
            }

            return result;
        }
        catch (MmsValidationException ex)
        {
            Discard(staged.Path);
            return CsResult.Refused(new Web.Errors.ApiProblem(StatusCodes.Status422UnprocessableEntity, CsProblemCodes.SendRefused, "Unprocessable",
                $"{refused}: {string.Join(", ", ex.Problems.Take(3).Select(p => p.Code))}"));
        }
        catch
        {
            Discard(staged.Path);
            throw;
        }
    }
}

/// <summary>The file an action staged, if any (see <see cref="CsSender.GuardAsync"/>).</summary>
public sealed class StagedImage
{
    public string? Path { get; set; }
}
