import { describe, expect, test } from "bun:test";
import { csvLayout, csvPoint } from "./csv-points";
import { splitCsvRecord } from "./csv-record";
import { InvalidPointError } from "./invalid-point-error";

describe("CSV records and points", () => {
  test("quoted cells keep commas and doubled quotes; broken quoting is reported", () => {
    expect(splitCsvRecord('a,"b, c","say ""hi""",,')).toEqual(["a", "b, c", 'say "hi"', "", ""]);
    expect(splitCsvRecord('a,"open')).toBe("column 2: a quoted cell is not closed (line breaks inside cells are not supported)");
    expect(splitCsvRecord('"a"b')).toBe("column 1: unexpected text after a closing quote");
  });

  test("a vector column as a JSON array, spaces or semicolons; other columns become typed payload", () => {
    const layout = csvLayout("id,vector,lang,year,note", 3);
    expect(csvPoint(layout, 'a,"[1,2,3]",en,2024,', 2, 3)).toEqual({ id: "a", vector: [1, 2, 3], payload: { lang: "en", year: 2024 } });
    expect(csvPoint(layout, "b,1 2 3,fr,007,true", 3, 3)).toEqual({ id: "b", vector: [1, 2, 3], payload: { lang: "fr", year: "007", note: true } });
    expect(csvPoint(layout, "c,0.5;-1;2e3,de,,", 4, 3).vector).toEqual([0.5, -1, 2000]);
  });

  test("v0..vN columns in any order; problems name the line and the column", () => {
    const layout = csvLayout("v1,id,v0,tag", 2);
    expect(csvPoint(layout, "2,x,1,t", 2, 2)).toEqual({ id: "x", vector: [1, 2], payload: { tag: "t" } });
    const error = (() => {
      try {
        csvPoint(layout, "oops,x,1,t", 7, 2);
      } catch (err) {
        return err as InvalidPointError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidPointError);
    expect(error!.message).toBe('line 7: v1: expected a finite number, got the string "oops"');
    expect(() => csvPoint(layout, "1,x", 9, 2)).toThrow("line 9: line: has 2 cells, the header 4");
    expect(() => csvLayout("id,v0,v2", 2)).toThrow("the vector columns must be v0..v1");
    expect(() => csvLayout("name,vector", 2)).toThrow('no "id" column');
  });
});
