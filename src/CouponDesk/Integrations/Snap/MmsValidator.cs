using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Shared.Imaging;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Text;
using MySqlConnector;

namespace CouponDesk.Integrations.Snap;

/// <summary>
/// Refuses, before anything is inserted, every message the gateway would fail (spec/snap-agent.md §9, §10, §15):
/// title and body in EUC-KR bytes and repertoire, merge-variable syntax, phone and sender formats, sender registration,
/// and the images (staged, at most 3, JPG, ≤ 300,000 bytes, ≤ 1500 × 1420, really a JPEG).
/// </summary>
public sealed class MmsValidator(SnapImageStager stager)
{
    private const int FileListMaxLength = 450;

    /// <summary>Title and body rules alone — also for the campaign form, long before anything is sent.</summary>
    public static IEnumerable<(string Field, string Code, string Message)> CheckText(string title, string body)
    {
        foreach (var problem in CheckOneText("title", "제목", title, MmsLimits.TitleMaxBytes, MmsProblemCodes.TitleEmpty, MmsProblemCodes.TitleTooLong, "한글 20자"))
        {
            yield return problem;
        }

        foreach (var problem in CheckOneText("body", "본문", body, MmsLimits.BodyMaxBytes, MmsProblemCodes.BodyEmpty, MmsProblemCodes.BodyTooLong, "한글 1,000자"))
        {
            yield return problem;
        }
    }

    public async Task<IReadOnlyList<MmsProblem>> ValidateAsync(
        MySqlConnection connection, MySqlTransaction? transaction, IReadOnlyList<OutgoingMms> messages, CancellationToken cancellationToken)
    {
        var problems = new List<MmsProblem>();
        var callbacks = messages.Select(m => SenderNumberRegistry.Normalize(m.CallbackNumber)).ToArray();
        var registered = await SenderNumberRegistry.ActiveAmongAsync(
            connection, transaction, callbacks.Where(MmsLimits.IsCallbackNumberFormat), cancellationToken);

        for (var i = 0; i < messages.Count; i++)
        {
            var index = i;
            var message = messages[i];
            void Add(string field, string code, string text) => problems.Add(new MmsProblem(index, field, code, text));

            foreach (var (field, code, text) in CheckText(message.Title, message.Body))
            {
                Add(field, code, text);
            }

            if (!MmsLimits.IsMobileNumber(SenderNumberRegistry.Normalize(message.Phone)))
            {
                Add("phone", MmsProblemCodes.PhoneInvalid, "수신번호가 휴대전화 번호 형식(01로 시작하는 10~11자리 숫자)이 아닙니다.");
            }

            if (!MmsLimits.IsCallbackNumberFormat(callbacks[i]))
            {
                Add("callbackNumber", MmsProblemCodes.CallbackFormat, "발신번호는 숫자 8~11자리여야 합니다.");
            }
            else if (!registered.Contains(callbacks[i]))
            {
                Add("callbackNumber", MmsProblemCodes.CallbackUnregistered, "등록되지 않은 발신번호입니다. 관리자에게 발신번호 등록을 요청해 주세요.");
            }

            if (message.AttemptNo is < 1 or > 99)
            {
                Add("attemptNo", MmsProblemCodes.AttemptInvalid, "발송 회차는 1~99여야 합니다.");
            }

            foreach (var (code, text) in await CheckImagesAsync(message.ImagePaths, cancellationToken))
            {
                Add("imagePaths", code, text);
            }
        }

        return problems;
    }

    private static IEnumerable<(string, string, string)> CheckOneText(
        string field, string label, string text, int maxBytes, string emptyCode, string tooLongCode, string hint)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield return (field, emptyCode, $"{label}을(를) 입력해 주세요.");
            yield break;
        }

        var measure = EucKr.Measure(text);
        if (!measure.IsEncodable)
        {
            yield return (field, MmsProblemCodes.Unencodable,
                $"{label}에 문자 메시지로 보낼 수 없는 문자가 있습니다: {measure.DescribeUnencodable()}. 이 문자를 빼거나 바꿔 주세요.");
        }

        if (measure.ByteCount > maxBytes)
        {
            yield return (field, tooLongCode,
                $"{label}이(가) {measure.ByteCount:N0}바이트입니다. EUC-KR 기준 {maxBytes:N0}바이트({hint}) 이하로 줄여 주세요.");
        }

        if (text.Contains("#{", StringComparison.Ordinal))
        {
            yield return (field, MmsProblemCodes.MergeVariable, $"{label}에 '#{{'는 쓸 수 없습니다 (치환 변수로 처리됩니다).");
        }
    }

    private async Task<List<(string Code, string Text)>> CheckImagesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var problems = new List<(string, string)>();
        if (paths.Count == 0)
        {
            problems.Add((MmsProblemCodes.NoImage, "쿠폰 이미지가 없습니다."));
            return problems;
        }

        if (paths.Count > MmsLimits.MaxFiles)
        {
            problems.Add((MmsProblemCodes.TooManyImages, $"이미지는 최대 {MmsLimits.MaxFiles}개까지 보낼 수 있습니다."));
            return problems;
        }

        foreach (var path in paths)
        {
            if (string.IsNullOrWhiteSpace(path) || path.Contains(',', StringComparison.Ordinal) || !stager.IsStaged(path))
            {
                problems.Add((MmsProblemCodes.ImageOutsideDirectory, "이미지가 발송 이미지 폴더에 준비되지 않았습니다."));
                continue;
            }

            if (!MmsLimits.HasJpegExtension(path))
            {
                problems.Add((MmsProblemCodes.ImageNotJpgName, "이미지는 JPG 파일(.jpg)이어야 합니다."));
                continue;
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problems.Add((MmsProblemCodes.ImageMissing, "이미지 파일을 찾을 수 없습니다."));
                continue;
            }

            if (info.Length > MmsLimits.MaxFileBytes)
            {
                problems.Add((MmsProblemCodes.ImageTooLarge, $"이미지가 {info.Length:N0}바이트입니다. {MmsLimits.MaxFileBytes:N0}바이트 이하여야 합니다."));
                continue;
            }

            var probe = JpegProbe.Probe(await File.ReadAllBytesAsync(path, cancellationToken));
            if (probe.Status == JpegProbeStatus.NotJpeg)
            {
                problems.Add((MmsProblemCodes.ImageNotJpeg, "이미지 내용이 JPEG가 아닙니다."));
            }
            else if (probe.Status == JpegProbeStatus.Corrupt)
            {
                problems.Add((MmsProblemCodes.ImageCorrupt, "이미지 파일이 손상되어 읽을 수 없습니다."));
            }
            else if (probe.Width > MmsLimits.MaxWidth || probe.Height > MmsLimits.MaxHeight)
            {
                problems.Add((MmsProblemCodes.ImageTooManyPixels,
                    $"이미지가 {probe.Width}×{probe.Height} 픽셀입니다. {MmsLimits.MaxWidth}×{MmsLimits.MaxHeight} 이하여야 합니다."));
            }
        }

        if (problems.Count == 0 && string.Join(',', paths.Select(stager.ToAgentPath)).Length > FileListMaxLength)
        {
            problems.Add((MmsProblemCodes.FileListTooLong, "이미지 경로가 너무 깁니다 (MMS_FILE_LIST 450자 초과)."));
        }

        return problems;
    }
}
