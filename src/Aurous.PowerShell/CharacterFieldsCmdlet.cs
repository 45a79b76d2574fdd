using System.Collections.Generic;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// The per-field attribute parameters of New- and Set-AurousCharacter, declared once so both bind the same CSV
    /// columns the same way: by property name, PascalCase or snake_case (HairColor or hair_color), a blank cell as not
    /// given, and Age from text ("28"). Binding takes any value; <see cref="FieldChanges"/> judges them by the client's
    /// rules, so a bad cell is an error about its row with the documented ErrorId, and the next row still goes.
    /// </summary>
    public abstract class CharacterFieldsCmdlet : AurousCmdlet
    {
        protected const string FieldsSet = "Fields";

        [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
        [FieldValue]
        public string? Gender { get; set; }

        /// <summary>A whole number from 0 to 200, or text of one ("28"); typed object so no cell is refused while binding.</summary>
        [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
        [FieldValue]
        public object? Age { get; set; }

        [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
        [FieldValue]
        public string? Ethnicity { get; set; }

        [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
        [Alias("hair_color")]
        [FieldValue]
        public string? HairColor { get; set; }

        [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
        [Alias("hair_style")]
        [FieldValue]
        public string? HairStyle { get; set; }

        [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
        [Alias("eye_color")]
        [FieldValue]
        public string? EyeColor { get; set; }

        [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
        [Alias("body_type")]
        [FieldValue]
        public string? BodyType { get; set; }

        [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
        [Alias("additional_details")]
        [FieldValue]
        public string? AdditionalDetails { get; set; }

        /// <summary>The fields this record sets; the others are null.</summary>
        /// <exception cref="AurousValidationException">InvalidAttributeValue, naming the field and the value.</exception>
        protected CharacterAttributes FieldChanges() => CharacterAttributes.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(Gender)] = Gender,
            [nameof(Age)] = Age is PSObject wrapped ? wrapped.BaseObject : Age,
            [nameof(Ethnicity)] = Ethnicity,
            [nameof(HairColor)] = HairColor,
            [nameof(HairStyle)] = HairStyle,
            [nameof(EyeColor)] = EyeColor,
            [nameof(BodyType)] = BodyType,
            [nameof(AdditionalDetails)] = AdditionalDetails,
        });
    }
}
