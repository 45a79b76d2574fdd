using System.Collections;
using System.Text.Json;

namespace Aurous.Client.Tests;

public class CharacterAttributesTests
{
    [Fact]
    public void FromDictionary_accepts_pascal_and_snake_case_keys_in_any_case()
    {
        var attributes = CharacterAttributes.FromDictionary(new Hashtable
        {
            ["HairColor"] = "black",
            ["eye_color"] = "brown",
            ["AGE"] = 28,
            ["additionalDetails"] = "scar",
            ["Body_Type"] = null,
        });

        Assert.Equal("black", attributes.HairColor);
        Assert.Equal("brown", attributes.EyeColor);
        Assert.Equal(28, attributes.Age);
        Assert.Equal("scar", attributes.AdditionalDetails);
        Assert.Null(attributes.BodyType);
    }

    [Fact]
    public void FromDictionary_names_every_unknown_key()
    {
        var error = Assert.Throws<AurousValidationException>(() => CharacterAttributes.FromDictionary(new Hashtable
        {
            ["HairColor"] = "black",
            ["Wings"] = "yes",
            ["tail_length"] = 3,
        }));

        Assert.Equal(AurousErrors.UnknownAttribute, error.ErrorId);
        Assert.Equal(AurousErrorCategory.InvalidArgument, error.Category);
        Assert.Contains("Wings", error.Message);
        Assert.Contains("tail_length", error.Message);
        Assert.Contains("HairColor", error.Message);
    }

    [Theory]
    [InlineData("28", 28)]
    [InlineData(" 28 ", 28)]
    [InlineData(28L, 28)]
    [InlineData(28.0, 28)]
    [InlineData((byte)200, 200)]
    public void Age_accepts_whole_numbers_in_any_numeric_form(object value, int expected)
    {
        Assert.Equal(expected, CharacterAttributes.FromDictionary(new Hashtable { ["Age"] = value }).Age);
    }

    [Theory]
    [InlineData("old", "'old'")]
    [InlineData(28.5, "28.5")]
    [InlineData(-1, "-1")]
    [InlineData(201, "201")]
    [InlineData(1000, "1000")]
    [InlineData("250", "250")]
    [InlineData("٢٨", "'٢٨'")]
    [InlineData(true, "the boolean $true")]
    public void Age_refuses_what_is_not_a_whole_number_from_0_to_200_in_one_wording(object value, string shown)
    {
        var error = Assert.Throws<AurousValidationException>(() => CharacterAttributes.FromDictionary(new Hashtable { ["Age"] = value }));
        Assert.Equal(AurousErrors.InvalidAttributeValue, error.ErrorId);
        Assert.Equal("Age", error.ParameterName);
        Assert.Equal($"Age must be {AurousValidation.AgeRule}; got {shown}.", error.Message);
    }

    [Theory]
    [InlineData(true, "got the boolean $true")]
    [InlineData(42, "got 42")]
    [InlineData(new[] { "black", "grey" }, "got a list of 2 values")]
    public void Text_attributes_take_only_text(object value, string shown)
    {
        var error = Assert.Throws<AurousValidationException>(() => CharacterAttributes.FromDictionary(new Hashtable { ["hair_color"] = value }));

        Assert.Equal(AurousErrors.InvalidAttributeValue, error.ErrorId);
        Assert.StartsWith($"hair_color must be text (a string); {shown}.", error.Message);
    }

    [Fact]
    public void A_nested_table_is_refused_instead_of_being_sent_as_its_type_name()
    {
        var error = Assert.Throws<AurousValidationException>(() => CharacterAttributes.FromDictionary(new Hashtable { ["hair_color"] = new Hashtable { ["x"] = 1 } }));

        Assert.StartsWith("hair_color must be text (a string); got a Hashtable (a table of values).", error.Message);
    }

    [Fact]
    public void Blank_values_and_DBNull_leave_a_field_unset_and_long_text_is_refused()
    {
        var attributes = CharacterAttributes.FromDictionary(new Hashtable { ["age"] = "", ["hair_color"] = " ", ["eye_color"] = DBNull.Value, ["gender"] = "female" });

        Assert.Equal(new[] { "gender" }, attributes.SetFields());
        var error = Assert.Throws<AurousValidationException>(() => CharacterAttributes.FromDictionary(new Hashtable { ["additional_details"] = new string('x', 1001) }));
        Assert.Equal("additional_details must be at most 1000 characters; got 1001.", error.Message);
    }

    [Fact]
    public void MergeWith_keeps_current_fields_and_lets_non_null_changes_win_without_touching_either_input()
    {
        var current = new CharacterAttributes
        {
            Gender = "female",
            Age = 28,
            HairColor = "black",
            EyeColor = "brown",
            AdditionalFields = new Dictionary<string, JsonElement> { ["mood"] = JsonDocument.Parse("\"calm\"").RootElement },
        };
        var changes = new CharacterAttributes { HairColor = "red", Age = 29 };

        var merged = current.MergeWith(changes);

        Assert.Equal("female", merged.Gender);
        Assert.Equal(29, merged.Age);
        Assert.Equal("red", merged.HairColor);
        Assert.Equal("brown", merged.EyeColor);
        Assert.Equal("calm", merged.AdditionalFields!["mood"].GetString());
        Assert.Equal("black", current.HairColor);
        Assert.NotSame(current, merged);
        Assert.Equal("brown", current.MergeWith(null).EyeColor);
    }
}
