using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Campaigns.SenderNumbers;

/// <summary>
/// 발신번호 목록: operators read it to fill the form's select (P5); only ADMIN changes it (P24, spec §3.11).
/// </summary>
public sealed class SenderNumberEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sender-numbers", async (ISenderNumbers numbers, CancellationToken ct) => Results.Ok(await numbers.ListAsync(ct)))
            .RequireAuthorization(Policies.RegisterCampaign)
            .WithTags("Sender numbers");

        var admin = app.MapGroup("/api/settings/sender-numbers").RequireAuthorization(Policies.ManageSettings).WithTags("Sender numbers");
        admin.MapPost("", AddAsync);
        admin.MapDelete("/{id:long}", RemoveAsync);
        admin.MapPost("/{id:long}/default", MakeDefaultAsync);
    }

    private static async Task<IResult> AddAsync(AddSenderNumberRequest request, HttpContext http, ISenderNumbers numbers, ICampaignAudit audit, CancellationToken ct)
    {
        var number = new string((request.Number ?? "").Where(c => c is not ('-' or ' ')).ToArray());
        if (number.Length is < 8 or > 11 || !number.All(char.IsAsciiDigit))
        {
            return ApiProblem.Validation("number", "발신번호는 하이픈을 제외한 숫자 8~11자리로 입력해 주세요.").ToResult();
        }

        var description = (request.Description ?? "").Trim();
        if (description.Length > 50)
        {
            return ApiProblem.Validation("description", "설명은 50자까지 입력할 수 있습니다.").ToResult();
        }

        if (Web.Validation.FreeText.Check(description, "설명") is { } badDescription)
        {
            return ApiProblem.Validation("description", badDescription).ToResult();
        }

        var outcome = await numbers.AddAsync(number, description, request.IsDefault, ct);
        if (outcome == SenderNumberChange.Duplicate)
        {
            return ApiProblem.Conflict("sender_number_duplicate", "이미 등록된 발신번호입니다.").ToResult();
        }

        await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.SenderNumberAdded, null, AuditActor.From(http), new Dictionary<string, object?> { ["number"] = number }), ct);
        return Results.Ok(await numbers.ListAsync(ct));
    }

    private static async Task<IResult> RemoveAsync(long id, HttpContext http, ISenderNumbers numbers, ICampaignAudit audit, CancellationToken ct)
    {
        switch (await numbers.RemoveAsync(id, ct))
        {
            case SenderNumberChange.NotFound:
                return ApiProblem.NotFound("발신번호를 찾을 수 없습니다.").ToResult();
            case SenderNumberChange.InUse:
                return ApiProblem.Conflict("sender_number_in_use", "예약되었거나 진행 중인 발송 건이 사용하는 발신번호는 삭제할 수 없습니다.").ToResult();
        }

        await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.SenderNumberRemoved, null, AuditActor.From(http), new Dictionary<string, object?> { ["id"] = id }), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> MakeDefaultAsync(long id, HttpContext http, ISenderNumbers numbers, ICampaignAudit audit, CancellationToken ct)
    {
        if (await numbers.MakeDefaultAsync(id, ct) == SenderNumberChange.NotFound)
        {
            return ApiProblem.NotFound("발신번호를 찾을 수 없습니다.").ToResult();
        }

        await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.SenderNumberDefaultChanged, null, AuditActor.From(http), new Dictionary<string, object?> { ["id"] = id }), ct);
        return Results.Ok(await numbers.ListAsync(ct));
    }
}

public sealed record AddSenderNumberRequest(string? Number, string? Description, bool IsDefault);
