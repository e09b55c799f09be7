using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace CouponDesk.Features.Settings;

/// <summary>
/// Turns database values into options objects the way start-up does: the configuration file's section bound first,
/// the database values over it, then every <see cref="IValidateOptions{TOptions}"/> registered for the class (the data
/// annotations through <c>SettingsValidator</c>, plus custom rules such as the webhook's https rule). One statement of
/// each rule, used for the file at start-up and for the page at run time (D-SET-3).
/// </summary>
public sealed class SettingsBinder(IConfiguration configuration, IServiceProvider services)
{
    /// <summary>A fresh options object of <paramref name="optionsType"/>: file values with <paramref name="overrides"/> on top.</summary>
    public object Bind(Type optionsType, IReadOnlyDictionary<string, string> overrides)
    {
        var section = SettingsCatalog.All.First(d => d.OptionsType == optionsType).Section;
        var own = overrides.Where(kv => SettingsCatalog.Find(kv.Key)?.OptionsType == optionsType)
            .Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value));
        var merged = new ConfigurationBuilder().AddConfiguration(configuration, shouldDisposeConfiguration: false).AddInMemoryCollection(own).Build();
        var instance = Activator.CreateInstance(optionsType)!;
        merged.GetSection(section).Bind(instance);
        return instance;
    }

    /// <summary>The failures of every validator registered for the options class, as "Section:Member: message".</summary>
    public IReadOnlyList<string> Validate(Type optionsType, object instance)
    {
        var validatorType = typeof(IValidateOptions<>).MakeGenericType(optionsType);
        var validate = validatorType.GetMethod(nameof(IValidateOptions<object>.Validate))!;
        var failures = new List<string>();
        foreach (var validator in services.GetServices(validatorType))
        {
            var result = (ValidateOptionsResult)validate.Invoke(validator, [Options.DefaultName, instance])!;
            if (result.Failed)
            {
                failures.AddRange(result.Failures ?? [result.FailureMessage]);
            }
        }

        return failures;
    }

    /// <summary>The value of a setting in an options object, as invariant text (<c>true</c>, <c>21</c>, <c>Warn</c>).</summary>
    public static string Format(SettingDefinition definition, object instance) =>
        definition.PropertyInfo.GetValue(instance) switch
        {
            null => "",
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString() ?? "",
        };

    /// <summary>
    /// The Korean message for one value, from the property's own validation attributes; null when it is valid. The
    /// range in the message is the attribute's, so it cannot drift from the configuration file's rule.
    /// </summary>
    public static string? CheckValue(SettingDefinition definition, string text)
    {
        object? value;
        switch (definition.Kind)
        {
            case SettingKind.Number:
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    return RangeMessage(definition) ?? $"'{definition.Label}'에는 숫자를 입력해 주세요.";
                }

                value = number;
                break;
            case SettingKind.Switch:
                if (text is not ("true" or "false"))
                {
                    return $"'{definition.Label}'은(는) 켜기 또는 끄기만 선택할 수 있습니다.";
                }

                value = text == "true";
                break;
            case SettingKind.Choice:
                if (!definition.Choices.Any(c => c.Value == text))
                {
                    return $"'{definition.Label}'은(는) {string.Join(" 또는 ", definition.Choices.Select(c => c.Label))} 중에서 선택해 주세요.";
                }

                value = text;
                break;
            default:
                value = text;
                break;
        }

        foreach (var attribute in definition.PropertyInfo.GetCustomAttributes(typeof(ValidationAttribute), true).Cast<ValidationAttribute>())
        {
            if (!attribute.IsValid(value))
            {
                return attribute is RangeAttribute ? RangeMessage(definition) : $"'{definition.Label}' 값이 올바르지 않습니다.";
            }
        }

        return null;
    }

    private static string? RangeMessage(SettingDefinition definition) =>
        definition.Range is { } range
            ? string.Create(CultureInfo.InvariantCulture, $"'{definition.Label}'은(는) {range.Minimum}~{range.Maximum} 사이의 정수로 입력해 주세요.")
            : null;
}
