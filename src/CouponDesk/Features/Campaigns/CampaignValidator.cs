using CouponDesk.Features.Campaigns.Products;
using CouponDesk.Features.Campaigns.SenderNumbers;
using CouponDesk.Web.Validation;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// Field rules of 발송등록 (spec §3.2.1, §3.2.4). A draft (임시저장) needs only 고객사 and 이벤트명, but every value that is
/// present must already be valid, so a draft never holds something that could not be sent. Submit (저장/발송) needs
/// every required field and checks the product, the sender number and the send time against now.
/// </summary>
public sealed class CampaignValidator(IProductCatalog catalog, ISenderNumbers senderNumbers, SendTimeRules sendTime)
{
    public const int TitleMaxBytes = 40;
    public const int BodyMaxBytes = 2000;

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["clientName"] = "고객사",
        ["salesManager"] = "영업담당자",
        ["clientRequester"] = "고객사 요청자",
        ["requesterEmail"] = "요청자 이메일",
        ["eventName"] = "이벤트명",
        ["scheduledAt"] = "발송 예약일시",
        ["goodsId"] = "상품명",
        ["senderNumber"] = "발신자 번호",
        ["mmsTitle"] = "제목",
        ["mmsBody"] = "내용",
        ["bannerImage"] = "배너 파일",
    };

    /// <summary>Normalises and checks the form's own values; product and sender number are looked up when given.</summary>
    public async Task<(CampaignDraft Draft, ValidationErrors Errors, ProductSnapshot? Product)> CheckFormAsync(CampaignRequest request, string? defaultSalesManager, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var clientName = Text(request.ClientName);
        var eventName = Text(request.EventName);
        Required(errors, "clientName", clientName);
        Required(errors, "eventName", eventName);
        MaxChars(errors, "clientName", clientName, 30, "고객사는 30자까지 입력할 수 있습니다.");
        MaxChars(errors, "eventName", eventName, 50, "이벤트명은 50자까지 입력할 수 있습니다.");
        var salesManager = Text(request.SalesManager) ?? Text(defaultSalesManager);
        MaxChars(errors, "salesManager", salesManager, 30, "영업담당자는 30자까지 입력할 수 있습니다.");
        var requester = Text(request.ClientRequester);
        MaxChars(errors, "clientRequester", requester, 30, "고객사 요청자는 30자까지 입력할 수 있습니다.");
        foreach (var (field, value) in new[] { ("clientName", clientName), ("eventName", eventName), ("salesManager", salesManager), ("clientRequester", requester) })
        {
            PlainText(errors, field, value);
        }

        var phone = Text(request.RequesterPhone) is { } p ? new string(p.Where(c => c is not ('-' or ' ')).ToArray()) : null;
        if (phone is not null && (phone.Length is < 9 or > 11 || phone[0] != '0' || !phone.All(char.IsAsciiDigit)))
        {
            errors.Add("requesterPhone", "요청자 전화번호는 0으로 시작하는 숫자 9~11자리로 입력해 주세요.");
        }

        var email = Text(request.RequesterEmail);
        if (email is not null && !EmailAddress.IsValid(email, maxLength: 100))
        {
            errors.Add("requesterEmail", email.Length > 100 ? "요청자 이메일은 100자까지 입력할 수 있습니다." : "유효하지 않은 이메일 형식입니다.");
        }

        var mode = Text(request.SendMode)?.ToUpperInvariant();
        DateTime? scheduled = null;
        if (mode is not null and not SendModes.Now and not SendModes.At)
        {
            errors.Add("sendMode", "발송 방식은 즉시(NOW) 또는 예약(AT)이어야 합니다.");
        }

        if (Text(request.ScheduledAt) is { } at)
        {
            if (!SendTimeRules.TryParseKst(at, out var utc))
            {
                errors.Add("scheduledAt", "발송 예약일시는 'YYYY-MM-DD HH:mm' 형식(한국 시간)으로 입력해 주세요.");
            }
            else
            {
                scheduled = utc;
                mode ??= SendModes.At;
            }
        }

        if (mode == SendModes.Now)
        {
            scheduled = null;
        }

        var title = Text(request.MmsTitle) is { } t ? EucKrText.NormalizeLineBreaks(t) : null;
        if (title is not null)
        {
            if (title.Contains('\n', StringComparison.Ordinal))
            {
                errors.Add("mmsTitle", "제목에는 줄바꿈을 넣을 수 없습니다.");
            }
            else if (!PlainText(errors, "mmsTitle", title))
            {
                CheckMmsText(errors, "mmsTitle", title, TitleMaxBytes, "제목은 40byte(한글 20자)까지 입력할 수 있습니다.");
            }
        }

        // The body keeps its inner spacing and line breaks; only the ends are trimmed.
        var body = Text(request.MmsBody) is { } b ? EucKrText.NormalizeLineBreaks(b) : null;
        if (body is not null && !PlainText(errors, "mmsBody", body, multiline: true))
        {
            CheckMmsText(errors, "mmsBody", body, BodyMaxBytes, "내용은 2,000byte(한글 1,000자)까지 입력할 수 있습니다.");
        }

        var sender = Text(request.SenderNumber) is { } s ? new string(s.Where(c => c is not ('-' or ' ')).ToArray()) : null;
        if (sender is not null)
        {
            if (sender.Length is < 8 or > 11 || !sender.All(char.IsAsciiDigit))
            {
                errors.Add("senderNumber", "발신자 번호는 숫자 8~11자리여야 합니다.");
            }
            else if (!await senderNumbers.IsRegisteredAsync(sender, cancellationToken))
            {
                errors.Add("senderNumber", "등록되지 않은 발신번호입니다. 설정에서 발신번호를 확인하세요.");
            }
        }

        ProductSnapshot? product = null;
        var goodsId = Text(request.GoodsId);
        if (goodsId is not null)
        {
            product = goodsId.Length > 10 ? null : await catalog.FindAsync(goodsId, cancellationToken);
            if (product is null)
            {
                errors.Add("goodsId", "상품을 찾을 수 없습니다. 상품 검색에서 다시 선택하세요.");
            }
            else if (!product.OnSale)
            {
                errors.Add("goodsId", "선택한 상품이 판매 중지되었습니다. 다른 상품을 선택하세요.");
            }
        }

        var draft = new CampaignDraft
        {
            ClientName = clientName ?? "",
            SalesManager = salesManager,
            ClientRequester = requester,
            RequesterPhone = phone,
            RequesterEmail = email,
            EventName = eventName ?? "",
            SendMode = mode,
            ScheduledAtUtc = scheduled,
            NightSendConfirmed = request.NightSendConfirmed,
            GoodsId = goodsId,
            SenderNumber = sender,
            MmsTitle = title,
            MmsBody = body,
            UseBanner = request.UseBanner,
        };

        if (scheduled is { } when && mode == SendModes.At)
        {
            // A draft may not hold a time that is already past or beyond the window; lead and night are submit checks.
            foreach (var (field, message) in sendTime.Check(when, 0, nightConfirmed: true, checkLead: false))
            {
                errors.Add(field, message);
            }
        }

        return (draft, errors, product);
    }

    /// <summary>
    /// Everything 저장/발송 requires (spec §3.2.4), on the stored draft: required fields, banner, recipients, product still
    /// on sale and valid after the send date, sender still registered, send time with lead for the campaign's size.
    /// Returns the send time to use (NOW mode: the earliest allowed).
    /// </summary>
    public async Task<(ValidationErrors Errors, DateTime SendAtUtc, ProductSnapshot? Product, List<string> Warnings)> CheckSubmitAsync(
        CampaignDraft draft, bool hasBanner, int recipients, CancellationToken cancellationToken)
    {
        var request = new CampaignRequest
        {
            ClientName = draft.ClientName,
            SalesManager = draft.SalesManager,
            ClientRequester = draft.ClientRequester,
            RequesterPhone = draft.RequesterPhone,
            RequesterEmail = draft.RequesterEmail,
            EventName = draft.EventName,
            SendMode = draft.SendMode,
            GoodsId = draft.GoodsId,
            SenderNumber = draft.SenderNumber,
            MmsTitle = draft.MmsTitle,
            MmsBody = draft.MmsBody,
            UseBanner = draft.UseBanner,
            NightSendConfirmed = draft.NightSendConfirmed,
        };
        var (_, errors, product) = await CheckFormAsync(request, null, cancellationToken);
        var warnings = new List<string>();
        Required(errors, "salesManager", draft.SalesManager);
        Required(errors, "clientRequester", draft.ClientRequester);
        Required(errors, "requesterEmail", draft.RequesterEmail);
        Required(errors, "goodsId", draft.GoodsId);
        Required(errors, "senderNumber", draft.SenderNumber);
        Required(errors, "mmsTitle", draft.MmsTitle);
        Required(errors, "mmsBody", draft.MmsBody);
        if (draft.UseBanner && !hasBanner)
        {
            Required(errors, "bannerImage", null);
        }

        if (recipients == 0)
        {
            errors.Add("recipients", "등록된 수신자 휴대폰 번호가 없습니다.");
        }

        var sendAt = draft.SendMode == SendModes.Now ? await sendTime.EarliestUtcAsync(recipients, cancellationToken) : draft.ScheduledAtUtc ?? default;
        if (draft.SendMode is null || (draft.SendMode == SendModes.At && draft.ScheduledAtUtc is null))
        {
            Required(errors, "scheduledAt", null);
        }
        else
        {
            foreach (var (field, message) in await sendTime.CheckAsync(sendAt, recipients, draft.NightSendConfirmed, cancellationToken))
            {
                errors.Add(field, message);
            }

            if (sendTime.IsNight(sendAt) && !sendTime.NightBlocked && draft.NightSendConfirmed)
            {
                warnings.Add(sendTime.NightWarning);
            }
        }

        if (product is { OnSale: true } && sendAt != default)
        {
            var sendDate = DateOnly.FromDateTime(Shared.Time.Kst.ToKst(sendAt));
            if (product.ValidDays is null && product.ValidUntil is { } until)
            {
                if (until < sendDate)
                {
                    errors.Add("goodsId", "유효기간이 지난 상품은 선택할 수 없습니다.");
                }
                else if (until < sendDate.AddDays(7))
                {
                    warnings.Add("발송일 이후 유효기간이 7일 미만입니다.");
                }
            }
            else if (product.ValidDays is < 7)
            {
                warnings.Add("발송일 이후 유효기간이 7일 미만입니다.");
            }
        }

        return (errors, sendAt, product, warnings);
    }

    private static void CheckMmsText(ValidationErrors errors, string field, string text, int maxBytes, string tooLong)
    {
        var measure = EucKrText.Measure(text);
        if (measure.Unencodable.Count > 0)
        {
            errors.Add(field, $"MMS에서 사용할 수 없는 문자(이모지 등)가 포함되어 있습니다: {measure.UnencodableText}");
        }

        if (measure.Bytes > maxBytes)
        {
            errors.Add(field, tooLong);
        }

        if (text.Contains("#{", StringComparison.Ordinal))
        {
            // The agent reads #{NAME} as a merge variable (snap-agent.md §9.1); we never use merge data.
            errors.Add(field, "'#{'는 메시지 변수로 해석되므로 사용할 수 없습니다.");
        }
    }

    /// <summary>The shared free-text rule (control, bidi and format characters refused); true when it added an error.</summary>
    private static bool PlainText(ValidationErrors errors, string field, string? value, bool multiline = false)
    {
        if (FreeText.Check(value, Labels[field], multiline) is not { } message)
        {
            return false;
        }

        errors.Add(field, message);
        return true;
    }

    private static void Required(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) && !errors.Has(field))
        {
            errors.Add(field, $"필수 항목인 '{Labels[field]}'을(를) 입력해주세요.");
        }
    }

    private static void MaxChars(ValidationErrors errors, string field, string? value, int max, string message)
    {
        if (value is not null && value.Length > max)
        {
            errors.Add(field, message);
        }
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

}

/// <summary>Field errors in the order found; the first message becomes the problem's detail.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = [];

    public bool Any => errors.Count > 0;

    public bool Has(string field) => errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        if (!list.Contains(message))
        {
            list.Add(message);
        }
    }

    public Web.Errors.Refusal ToRefusal() =>
        Web.Errors.Refusal.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), errors.First().Value[0]);
}
