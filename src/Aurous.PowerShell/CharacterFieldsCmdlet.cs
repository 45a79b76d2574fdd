using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// The per-field attribute parameters of New- and Set-AurousCharacter, declared once so both bind the same CSV
    /// columns the same way: by property name, PascalCase or snake_case (HairColor or hair_color), a blank cell as not
    /// given, and Age from text ("28").
    /// </summary>
    public abstract class CharacterFieldsCmdlet : AurousCmdlet
    {
        protected const string FieldsSet = "Fields";

        [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
        [FieldValue]
        public string? Gender { get; set; }

        [Parameter(ParameterSetName = FieldsSet, ValueFromPipelineByPropertyName = true)]
        [FieldValue(WholeNumber = true)]
        [ValidateAurous(AurousRule.Age)]
        public int? Age { get; set; }

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
        protected CharacterAttributes FieldChanges() => new CharacterAttributes
        {
            Gender = Gender,
            Age = Age,
            Ethnicity = Ethnicity,
            HairColor = HairColor,
            HairStyle = HairStyle,
            EyeColor = EyeColor,
            BodyType = BodyType,
            AdditionalDetails = AdditionalDetails,
        };
    }
}
