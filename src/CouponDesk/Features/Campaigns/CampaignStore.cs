using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Campaigns.Products;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// Campaign rows of registration. Every change is one conditional UPDATE (<c>WHERE status = …</c>, and the version for
/// edits; status changes through <see cref="CampaignTransitions"/>), so two people acting at once can never both win, and
/// a refused change leaves the row as it was.
/// </summary>
public sealed class CampaignStore(DbConnectionFactory connections, PiiProtector pii, TimeProvider time)
{
    public Task<long> InsertAsync(CampaignDraft draft, ProductSnapshot? product, long? userId, CancellationToken cancellationToken) =>
        DeadlockRetry.RunAsync(() => InsertOnceAsync(draft, product, userId, cancellationToken), "campaign insert");

    private async Task<long> InsertOnceAsync(CampaignDraft draft, ProductSnapshot? product, long? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(
            $"""
            INSERT INTO campaigns (status, client_name, sales_manager, client_requester_enc, requester_phone_enc, requester_phone_bidx,
              requester_email_enc, event_name, send_mode, scheduled_at, night_send_confirmed, goods_id, product_name, exchange_place,
              supply_price, list_price, validity_type, validity_value, coupon_type, product_image_ref, product_snapshot_at,
              sender_number, mms_title, mms_body, use_banner, created_by, created_at, updated_by, updated_at)
            VALUES (@NewStatus, @ClientName, @SalesManager, @ClientRequesterEnc, @RequesterPhoneEnc, @RequesterPhoneBidx,
              @RequesterEmailEnc, @EventName, @SendMode, @ScheduledAt, @NightSendConfirmed, @GoodsId, @ProductName, @ExchangePlace,
              @SupplyPrice, @ListPrice, @ValidityType, @ValidityValue, @CouponType, @ProductImageRef, @ProductSnapshotAt,
              @SenderNumber, @MmsTitle, @MmsBody, @UseBanner, @UserId, @Now, @UserId, @Now);
            SELECT LAST_INSERT_ID();
            """,
            WithNewStatus(Parameters(draft, product, userId, now, null)),
            tx);
        // The campaign number shown to people (spec §9 #18): KST date + sequence, no company name inside. The requester's
        // fields are bound to the new row, so they are written here, with its id, in the insert's transaction (D-SEC-12).
        var number = $"C{Kst.ToKst(now):yyMMdd}{id.ToString("D6", CultureInfo.InvariantCulture)}";
        var requester = Requester(draft, id);
        requester.Add("number", number);
        requester.Add("id", id);
        await connection.ExecuteAsync(
            "UPDATE campaigns SET campaign_no = @number, client_requester_enc = @ClientRequesterEnc, requester_phone_enc = @RequesterPhoneEnc, requester_email_enc = @RequesterEmailEnc WHERE id = @id",
            requester, tx);
        await tx.CommitAsync(cancellationToken);
        return id;
    }

    public async Task<Outcome> UpdateDraftAsync(long id, int? expectedVersion, CampaignDraft draft, ProductSnapshot? product, long? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var parameters = Parameters(draft, product, userId, now, id);
        parameters.Add("Id", id);
        parameters.Add("ExpectedVersion", expectedVersion);
        parameters.Add("Draft", CampaignStatus.Draft);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            """
            UPDATE campaigns SET client_name = @ClientName, sales_manager = @SalesManager, client_requester_enc = @ClientRequesterEnc,
              requester_phone_enc = @RequesterPhoneEnc, requester_phone_bidx = @RequesterPhoneBidx, requester_email_enc = @RequesterEmailEnc,
              event_name = @EventName, send_mode = @SendMode, scheduled_at = @ScheduledAt, night_send_confirmed = @NightSendConfirmed,
              goods_id = @GoodsId, product_name = @ProductName, exchange_place = @ExchangePlace, supply_price = @SupplyPrice,
              list_price = @ListPrice, validity_type = @ValidityType, validity_value = @ValidityValue, coupon_type = @CouponType,
              product_image_ref = @ProductImageRef, product_snapshot_at = @ProductSnapshotAt, sender_number = @SenderNumber,
              mms_title = @MmsTitle, mms_body = @MmsBody, use_banner = @UseBanner, updated_by = @UserId, updated_at = @Now,
              version = version + 1
            WHERE id = @Id AND deleted_at IS NULL AND status = @Draft AND (@ExpectedVersion IS NULL OR version = @ExpectedVersion)
            """,
            parameters);
        return changed == 1 ? Outcome.Ok : await ExplainAsync(id, CampaignStatus.Draft, expectedVersion, CampaignRefusals.NotDraft, CampaignRefusals.Changed, cancellationToken);
    }

    public async Task<CampaignRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CampaignRecord>(
            $"SELECT {CampaignRecord.Columns} FROM campaigns WHERE id = @id AND deleted_at IS NULL", new { id });
    }

    /// <summary>DRAFT → SCHEDULED (C2) with the product snapshot, the send and start times and the cost estimate.</summary>
    public async Task<Outcome> ScheduleAsync(
        long id, int version, DateTime sendAtUtc, DateTime startAtUtc, ProductSnapshot product, int recipients, long cost, long? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await CampaignTransitions.ScheduleAsync(connection, null, id, version, sendAtUtc, startAtUtc, product, recipients, cost, userId, now, cancellationToken);
        return changed == 1 ? Outcome.Ok : await ExplainAsync(id, CampaignStatus.Draft, version, CampaignRefusals.NotDraft, CampaignRefusals.Changed, cancellationToken);
    }

    /// <summary>SCHEDULED → DRAFT (C3, 예약 해제), only before the start time.</summary>
    public async Task<Outcome> UnscheduleAsync(long id, long? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await CampaignTransitions.UnscheduleAsync(connection, null, id, userId, now, cancellationToken);
        // Still SCHEDULED but not changed: its start time has come.
        return changed == 1 ? Outcome.Ok : await ExplainAsync(id, CampaignStatus.Scheduled, null, CampaignRefusals.NotDraft, CampaignRefusals.AlreadyStarted, cancellationToken);
    }

    /// <summary>SCHEDULED → CANCELLED (C10): nothing was bought yet, so it is immediate.</summary>
    public async Task<Outcome> CancelScheduledAsync(long id, string reason, long? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await CampaignTransitions.CancelScheduledAsync(connection, null, id, reason, userId, now, cancellationToken);
        return changed == 1 ? Outcome.Ok : await ExplainAsync(id, CampaignStatus.Scheduled, null, CampaignRefusals.NotCancellable, CampaignRefusals.Changed, cancellationToken);
    }

    /// <summary>DRAFT → deleted (C4): soft delete; its recipient lists and banners (personal data, files) go with it.</summary>
    public Task<Outcome> DeleteDraftAsync(long id, long? userId, CancellationToken cancellationToken) =>
        DeadlockRetry.RunAsync(() => DeleteDraftOnceAsync(id, userId, cancellationToken), "campaign delete");

    private async Task<Outcome> DeleteDraftOnceAsync(long id, long? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await CampaignTransitions.DeleteDraftAsync(connection, tx, id, userId, now, cancellationToken);
        if (changed != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return await ExplainAsync(id, CampaignStatus.Draft, null, CampaignRefusals.NotDraft, CampaignRefusals.Changed, cancellationToken);
        }

        await RecipientListStore.PurgeCampaignAsync(connection, tx, id);
        await connection.ExecuteAsync("DELETE FROM campaign_banners WHERE campaign_id = @id", new { id }, tx);
        await tx.CommitAsync(cancellationToken);
        return Outcome.Ok;
    }

    public Task<Outcome> SaveBannerAsync(long id, Banners.ProcessedBanner banner, long? userId, CancellationToken cancellationToken) =>
        DeadlockRetry.RunAsync(() => SaveBannerOnceAsync(id, banner, userId, cancellationToken), "campaign banner");

    private async Task<Outcome> SaveBannerOnceAsync(long id, Banners.ProcessedBanner banner, long? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var status = await connection.ExecuteScalarAsync<string?>(
            "SELECT status FROM campaigns WHERE id = @id AND deleted_at IS NULL FOR UPDATE", new { id }, tx);
        if (status != CampaignStatus.Draft)
        {
            return status is null ? CampaignRefusals.NotFound : CampaignRefusals.NotDraft;
        }

        await connection.ExecuteAsync("DELETE FROM campaign_banners WHERE campaign_id = @id", new { id }, tx);
        var bannerId = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO campaign_banners (campaign_id, content, width, height, byte_size, sha256, created_by, created_at)
            VALUES (@id, @Content, @Width, @Height, @ByteSize, @Sha256, @userId, @now);
            SELECT LAST_INSERT_ID();
            """,
            new { id, banner.Content, banner.Width, banner.Height, ByteSize = banner.Content.Length, banner.Sha256, userId, now }, tx);
        await connection.ExecuteAsync(
            "UPDATE campaigns SET banner_id = @bannerId, use_banner = 1, updated_by = @userId, updated_at = @now, version = version + 1 WHERE id = @id",
            new { id, bannerId, userId, now }, tx);
        await tx.CommitAsync(cancellationToken);
        return Outcome.Ok;
    }

    public Task<Outcome> RemoveBannerAsync(long id, long? userId, CancellationToken cancellationToken) =>
        DeadlockRetry.RunAsync(() => RemoveBannerOnceAsync(id, userId, cancellationToken), "campaign banner");

    private async Task<Outcome> RemoveBannerOnceAsync(long id, long? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            """
            UPDATE campaigns SET banner_id = NULL, use_banner = 0, updated_by = @userId, updated_at = @now, version = version + 1
            WHERE id = @id AND deleted_at IS NULL AND status = @draft
            """,
            new { id, userId, now, draft = CampaignStatus.Draft }, tx);
        if (changed != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return await ExplainAsync(id, CampaignStatus.Draft, null, CampaignRefusals.NotDraft, CampaignRefusals.Changed, cancellationToken);
        }

        await connection.ExecuteAsync("DELETE FROM campaign_banners WHERE campaign_id = @id", new { id }, tx);
        await tx.CommitAsync(cancellationToken);
        return Outcome.Ok;
    }

    public async Task<(byte[] Content, int Width, int Height)?> GetBannerAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<(byte[], int, int)?>(
            """
            SELECT b.content, b.width, b.height FROM campaigns c JOIN campaign_banners b ON b.id = c.banner_id
            WHERE c.id = @id AND c.deleted_at IS NULL
            """,
            new { id });
    }

    /// <summary>Why a conditional update matched no row: gone, in another state, edited meanwhile, or <paramref name="otherwise"/>.</summary>
    private async Task<Refusal> ExplainAsync(long id, string expectedStatus, int? expectedVersion, Refusal wrongState, Refusal otherwise, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Status, int Version)?>(
            "SELECT status, version FROM campaigns WHERE id = @id AND deleted_at IS NULL", new { id });
        return row is null ? CampaignRefusals.NotFound
            : row.Value.Status != expectedStatus ? wrongState
            : expectedVersion is { } v && v != row.Value.Version ? CampaignRefusals.Changed
            : otherwise;
    }

    private static DynamicParameters WithNewStatus(DynamicParameters p)
    {
        p.Add("NewStatus", CampaignTransitions.NewCampaignStatus);
        return p;
    }

    /// <summary>The encrypted requester fields, bound to campaign <paramref name="id"/>; all NULL before the row has an id.</summary>
    private DynamicParameters Requester(CampaignDraft draft, long? id)
    {
        var p = new DynamicParameters();
        p.Add("ClientRequesterEnc", draft.ClientRequester is null || id is null ? null : pii.Encrypt(draft.ClientRequester, CampaignsModule.RequesterColumn.PlaceOf(id.Value)));
        p.Add("RequesterPhoneEnc", draft.RequesterPhone is null || id is null ? null : pii.Encrypt(draft.RequesterPhone, CampaignsModule.RequesterPhoneColumn.PlaceOf(id.Value)));
        p.Add("RequesterEmailEnc", draft.RequesterEmail is null || id is null ? null : pii.Encrypt(draft.RequesterEmail, CampaignsModule.RequesterEmailColumn.PlaceOf(id.Value)));
        return p;
    }

    private DynamicParameters Parameters(CampaignDraft draft, ProductSnapshot? product, long? userId, DateTime now, long? id)
    {
        var p = Requester(draft, id);
        p.Add("ClientName", draft.ClientName);
        p.Add("SalesManager", draft.SalesManager);
        p.Add("RequesterPhoneBidx", draft.RequesterPhone is null ? null : pii.BlindIndex("phone", draft.RequesterPhone));
        p.Add("EventName", draft.EventName);
        p.Add("SendMode", draft.SendMode);
        p.Add("ScheduledAt", draft.ScheduledAtUtc);
        p.Add("NightSendConfirmed", draft.NightSendConfirmed);
        p.Add("GoodsId", draft.GoodsId);
        p.Add("ProductName", product?.Name);
        p.Add("ExchangePlace", product?.ExchangePlace);
        p.Add("SupplyPrice", product?.SupplyPrice);
        p.Add("ListPrice", product?.ListPrice);
        p.Add("ValidityType", product?.ValidityType);
        p.Add("ValidityValue", product?.ValidityValue);
        p.Add("CouponType", product?.CouponType);
        p.Add("ProductImageRef", product?.ImageRef);
        p.Add("ProductSnapshotAt", product is null ? null : now);
        p.Add("SenderNumber", draft.SenderNumber);
        p.Add("MmsTitle", draft.MmsTitle);
        p.Add("MmsBody", draft.MmsBody);
        p.Add("UseBanner", draft.UseBanner);
        p.Add("UserId", userId);
        p.Add("Now", now);
        return p;
    }

    /// <summary>The stored draft as the form values (decrypted), for the submit checks.</summary>
    public CampaignDraft ToDraft(CampaignRecord record) => new()
    {
        ClientName = record.ClientName,
        SalesManager = record.SalesManager,
        // A value copied here from another campaign throws PiiMisplacedValueException (the place, never the value).
        ClientRequester = record.ClientRequesterEnc is null ? null : pii.Decrypt(record.ClientRequesterEnc, CampaignsModule.RequesterColumn.PlaceOf(record.Id)),
        RequesterPhone = record.RequesterPhoneEnc is null ? null : pii.Decrypt(record.RequesterPhoneEnc, CampaignsModule.RequesterPhoneColumn.PlaceOf(record.Id)),
        RequesterEmail = record.RequesterEmailEnc is null ? null : pii.Decrypt(record.RequesterEmailEnc, CampaignsModule.RequesterEmailColumn.PlaceOf(record.Id)),
        EventName = record.EventName,
        SendMode = record.SendMode,
        ScheduledAtUtc = record.ScheduledAt,
        NightSendConfirmed = record.NightSendConfirmed,
        GoodsId = record.GoodsId,
        SenderNumber = record.SenderNumber,
        MmsTitle = record.MmsTitle,
        MmsBody = record.MmsBody,
        UseBanner = record.UseBanner,
    };
}
