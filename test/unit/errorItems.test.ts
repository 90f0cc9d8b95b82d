import { toErrorItem } from '../../nodes/MangoCalltracking/helpers/errorItems';

const failure = {
	message: 'Invalid Phone To in item 2: "101" is not a phone number',
	details: { parameter: 'phoneTo', value: '"101"', itemIndex: 2 },
};

test('an error item is {error, details}, paired to its input', () => {
	expect(toErrorItem(failure, 2)).toEqual({
		json: { error: failure.message, details: failure.details },
		pairedItem: { item: 2 },
	});
});

test('for an error output that routes only {error} (n8n 1.x) it is {error}, still paired', () => {
	expect(toErrorItem(failure, 2, false)).toEqual({
		json: { error: failure.message },
		pairedItem: { item: 2 },
	});
});
